// Icons only the approvals use, kept out of src/icons.tsx so the portal's first load does not carry them;
// decorative like those (the buttons have their own text).
import { CloseOutlined as AntCloseOutlined } from '@ant-design/icons';

export function CloseOutlined() {
  return <AntCloseOutlined aria-hidden />;
}
