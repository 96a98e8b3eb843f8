import { Suspense, lazy, useEffect, useState } from 'react';
import { api } from '../api';
import type { ItemList, Survey } from '../types';

// The survey card (its form, texts and antd's radio and card) is loaded only when a survey waits: My tickets' first
// load stays within the portal's budget (tests/browser/test_bundle.py) for the many who have none.
const WaitingSurveysCard = lazy(() => import('./SurveyCard').then((module) => ({ default: module.WaitingSurveys })));

/** The requester's surveys waiting for an answer (GET /surveys/mine), as a card above My tickets; nothing if none. */
export default function WaitingSurveys() {
  const [items, setItems] = useState<Survey[]>([]);
  useEffect(() => {
    api.get<ItemList<Survey>>('/surveys/mine', { limit: 20 }).then((page) => setItems(page.items), () => setItems([]));
  }, []);
  if (!items.length) return null;
  return (
    <Suspense fallback={null}>
      <WaitingSurveysCard items={items} />
    </Suspense>
  );
}
