import { Alert, Card, Empty, Select, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api';
import PageHeader from '../../components/PageHeader';
import type { ItemList, PortalType } from '../../types';
import { useErrorHandler } from '../../utils/errors';
import ChartFigure, { type Figure } from './ChartFigure';

interface ChartItem {
  key: string;
  title: string;
  type: string;
  figure?: Figure;
  error?: string;
}

interface ChartList {
  type: string;
  name: string;
  items: ChartItem[];
}

/** The charts a ticket type's definition declares, computed by the server over the tickets the viewer may see. */
export default function ChartsPage() {
  const { t, i18n } = useTranslation();
  const handleError = useErrorHandler();
  const navigate = useNavigate();
  const { key } = useParams();
  const [types, setTypes] = useState<PortalType[]>([]);
  const [charts, setCharts] = useState<ChartList | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api.get<ItemList<PortalType>>('/portal/ticket-types').then((page) => setTypes(page.items), handleError);
  }, [handleError]);

  useEffect(() => {
    if (!key && types.length > 0) navigate(`/reports/charts/${encodeURIComponent(types[0].key)}`, { replace: true });
  }, [key, types, navigate]);

  useEffect(() => {
    if (!key) return;
    setLoading(true);
    setCharts(null);
    api
      .get<ChartList>(`/ticket-types/${encodeURIComponent(key)}/charts`)
      .then(setCharts, handleError)
      .finally(() => setLoading(false));
  }, [key, handleError, i18n.language]);

  return (
    <>
      <PageHeader title={t('charts.title')}>
        <Space wrap>
          <label htmlFor="gd-chart-type">{t('charts.type')}</label>
          <Select
            id="gd-chart-type"
            style={{ minWidth: 220 }}
            value={key}
            placeholder={t('charts.pickType')}
            options={types.map((type) => ({ value: type.key, label: type.name }))}
            onChange={(value: string) => navigate(`/reports/charts/${encodeURIComponent(value)}`)}
          />
        </Space>
      </PageHeader>
      {loading && <Spin />}
      {charts && charts.items.length === 0 && <Empty description={t('charts.none')} />}
      <div className="gd-chart-grid">
        {charts?.items.map((chart) => (
          <Card key={chart.key} title={<h2 className="gd-chart-title">{chart.title}</h2>} size="small" data-chart={chart.key}>
            {chart.figure ? <ChartFigure figure={chart.figure} title={chart.title} /> : <Alert type="warning" showIcon message={chart.error} />}
          </Card>
        ))}
      </div>
    </>
  );
}
