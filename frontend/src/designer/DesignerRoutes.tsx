// The designer's pages, one lazily loaded chunk: /designer (home) and /designer/:key/:tab (one type's
// draft; the tab is optional, the form by default). /designer/:key/flow/:tab — the flow editors' page
// before they became tabs — redirects, so old links and docs keep working.
import { Route, Routes } from 'react-router-dom';
import DesignerHome from './DesignerHome';
import DesignerPage, { FlowRedirect } from './DesignerPage';

export default function DesignerRoutes() {
  return (
    <Routes>
      <Route index element={<DesignerHome />} />
      <Route path=":key/flow/:tab?" element={<FlowRedirect />} />
      <Route path=":key/:tab?" element={<DesignerPage />} />
    </Routes>
  );
}
