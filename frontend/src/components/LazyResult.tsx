import { Spin, type ResultProps } from 'antd';
import { lazy, Suspense } from 'react';

// antd's Result carries large illustrations (403, 404, 500); pages show it rarely, so it loads
// only when shown instead of weighing on every first load.
const Result = lazy(() => import('antd/es/result'));

export default function LazyResult(props: ResultProps) {
  return (
    <Suspense fallback={<Spin />}>
      <Result {...props} />
    </Suspense>
  );
}
