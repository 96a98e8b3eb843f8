// The designer's pages, one lazily loaded chunk for both: /designer and /designer/:key.
import { Route, Routes } from 'react-router-dom';
import DesignerHome from './DesignerHome';
import DesignerPage from './DesignerPage';

export default function DesignerRoutes() {
  return (
    <Routes>
      <Route index element={<DesignerHome />} />
      <Route path=":key" element={<DesignerPage />} />
    </Routes>
  );
}
