// Icons only the surveys use, kept out of src/icons.tsx so the portal's first load does not carry them;
// decorative (the rating buttons have their own accessible names).
import { StarFilled as AntStarFilled } from '@ant-design/icons';

export function StarFilled() {
  return <AntStarFilled aria-hidden />;
}
