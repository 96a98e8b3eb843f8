import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Skeleton, Tree, TreeSelect, Typography } from 'antd';
import type { TreeProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import PageHeader from '../components/PageHeader';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '../icons';
import { describeApiError } from '../utils/errors';
import { type Category, type CategoryNode, categoryName, categoryTree, dropPlace, useCategories } from './categories';
import './i18n';
import './knowledge.css';

interface CategoryValues {
  name: string;
  zh?: string;
  parent_id?: string;
}

/** What the dialog is for: a new category (at the top or under a parent), or editing one. */
type Editing = { kind: 'new'; parent: Category | null } | { kind: 'edit'; category: Category };

const TOP = 'top';
/** One confirmation at a time: each replaces the last. */
const TOAST = 'kb-category';

/** The fields of a category's JSON pointer, as the dialog's fields. */
function fieldOf(path: string | undefined): keyof CategoryValues | null {
  if (path === '/name') return 'name';
  if (path?.startsWith('/i18n')) return 'zh';
  if (path === '/parent_id') return 'parent_id';
  return null;
}

/** The body of a PUT or POST: the English name, the Chinese one (other translations kept), the parent, the place. */
function categoryBody(category: Category | null, values: CategoryValues, parentId: number | null, position?: number) {
  const i18n = { ...(category?.i18n ?? {}) };
  delete i18n['zh-CN'];
  if (values.zh?.trim()) i18n['zh-CN'] = { name: values.zh.trim() };
  return { name: values.name, i18n, parent_id: parentId, ...(position === undefined ? {} : { position }) };
}

/** /knowledge/categories (staff): the tree; add, edit (names and parent), drag to move or reorder, delete. */
export default function CategoryPages() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const language = i18n.language;
  const { categories, reload, error: loadError } = useCategories();
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [moving, setMoving] = useState(false);

  const tree = useMemo(() => categoryTree(categories ?? [], language), [categories, language]);
  const expandedKeys = useMemo(
    () => (categories ?? []).filter((c) => categories?.some((d) => d.parent_id === c.id)).map((c) => String(c.id))
      .filter((key) => !collapsed.has(key)),
    [categories, collapsed],
  );

  const report = (err: unknown) => setError(err instanceof ApiError ? describeApiError(err, t) : t('errors.unexpected'));

  const onDrop: TreeProps<CategoryNode>['onDrop'] = (info) => {
    if (!categories) return;
    const dragged = categories.find((c) => c.id === Number(info.dragNode.key));
    const target = categories.find((c) => c.id === Number(info.node.key));
    if (!dragged || !target) return;
    const pos = info.node.pos.split('-');
    const relative = info.dropPosition - Number(pos[pos.length - 1]);
    // onto a category, or just under an open one: inside it; else between two, before or after the target
    const inside = !info.dropToGap || (relative === 1 && info.node.expanded && info.node.children.length > 0);
    const place = dropPlace(categories, dragged.id, target.id, inside ? 'inside' : relative === -1 ? 'before' : 'after');
    if (!place) return;
    const parentId = place.parent_id;
    const values = { name: dragged.name, zh: dragged.i18n?.['zh-CN']?.name };
    setError(null);
    setMoving(true);
    api
      .put<Category>(`/knowledge/categories/${dragged.id}`, categoryBody(dragged, values, parentId, place.position))
      .then(() => {
        if (parentId !== null) setCollapsed((keys) => new Set([...keys].filter((key) => key !== String(parentId))));
        void message.success({ content: t('knowledgeCategories.moved'), key: TOAST });
      })
      .catch(report)
      .finally(() => {
        setMoving(false);
        void reload();
      });
  };

  const remove = async (category: Category) => {
    setError(null);
    try {
      await api.delete(`/knowledge/categories/${category.id}`);
      void message.success({ content: t('knowledgeCategories.deleted'), key: TOAST });
      await reload();
    } catch (err) {
      report(err);
    }
  };

  const renderTitle = (node: CategoryNode) => {
    const { category } = node;
    const name = categoryName(category, language);
    const other = language.startsWith('zh') ? category.name : category.i18n?.['zh-CN']?.name;
    return (
      <span className="gd-kb-cat-node" data-testid={`category-${category.id}`}>
        <span className="gd-kb-cat-name">
          {name}
          {other && other !== name && <Typography.Text type="secondary"> · {other}</Typography.Text>}
        </span>
        {/* a click on the buttons does not reach the node (which would expand or select it) */}
        <span className="gd-kb-cat-actions" onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}
          role="presentation">
          <Button size="small" type="text" icon={<PlusOutlined />} aria-label={t('knowledgeCategories.addChildOf', { name })}
            title={t('knowledgeCategories.addChild')} onClick={() => setEditing({ kind: 'new', parent: category })} />
          <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('knowledgeCategories.editNamed', { name })}
            title={t('knowledgeCategories.edit')} onClick={() => setEditing({ kind: 'edit', category })} />
          <Popconfirm
            title={t('knowledgeCategories.deleteConfirm', { name })}
            description={t('knowledgeCategories.deleteHelp')}
            okText={t('knowledgeCategories.delete')}
            cancelText={t('knowledgeCategories.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => remove(category)}
          >
            <Button size="small" type="text" danger icon={<DeleteOutlined />}
              aria-label={t('knowledgeCategories.deleteNamed', { name })} title={t('knowledgeCategories.delete')} />
          </Popconfirm>
        </span>
      </span>
    );
  };

  return (
    <div className="gd-kb-categories">
      <Link to="/knowledge">
        <ArrowLeftOutlined /> {t('knowledge.back')}
      </Link>
      <PageHeader
        title={t('knowledgeCategories.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'new', parent: null })}>
            {t('knowledgeCategories.addRoot')}
          </Button>
        }
      />
      {error && (
        <Alert type="error" showIcon message={error} closable onClose={() => setError(null)} style={{ marginBottom: 12 }}
          data-testid="category-error" />
      )}
      {loadError ? <Alert type="warning" showIcon message={t('errors.unexpected')} /> : null}
      {categories === null ? (
        !loadError && <Skeleton active />
      ) : categories.length === 0 ? (
        <Empty description={t('knowledgeCategories.empty')} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('knowledgeCategories.dragHelp')}</Typography.Paragraph>
          <Tree<CategoryNode>
            className="gd-kb-cat-tree"
            data-testid="category-tree"
            treeData={tree}
            draggable={{ icon: false }}
            blockNode
            selectable={false}
            disabled={moving}
            expandedKeys={expandedKeys}
            onExpand={(_, { node, expanded }) =>
              setCollapsed((keys) => {
                const next = new Set(keys);
                if (expanded) next.delete(String(node.key));
                else next.add(String(node.key));
                return next;
              })
            }
            onDrop={onDrop}
            titleRender={renderTitle}
          />
        </>
      )}
      {editing && categories && (
        <CategoryDialog
          editing={editing}
          categories={categories}
          onClose={() => setEditing(null)}
          onSaved={async (saved) => {
            setEditing(null);
            if (saved.parent_id !== null) {
              setCollapsed((keys) => new Set([...keys].filter((key) => key !== String(saved.parent_id))));
            }
            void message.success({ content: t('knowledgeCategories.saved'), key: TOAST });
            await reload();
          }}
        />
      )}
    </div>
  );
}

/** Add or edit a category: its English and Chinese names and (editing) where it sits. */
function CategoryDialog({ editing, categories, onClose, onSaved }: {
  editing: Editing;
  categories: Category[];
  onClose: () => void;
  onSaved: (saved: Category) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<CategoryValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const category = editing.kind === 'edit' ? editing.category : null;
  const title =
    editing.kind === 'edit'
      ? t('knowledgeCategories.editTitle', { name: categoryName(editing.category, i18n.language) })
      : editing.parent
        ? t('knowledgeCategories.newChildTitle', { name: categoryName(editing.parent, i18n.language) })
        : t('knowledgeCategories.newTitle');
  const parents = useMemo(
    () => [{ key: TOP, value: TOP, title: t('knowledgeCategories.topLevel'), children: [] }, ...categoryTree(categories, i18n.language)],
    [categories, i18n.language, t],
  );

  const save = async () => {
    const values = await form.validateFields();
    const parentId =
      editing.kind === 'edit'
        ? values.parent_id && values.parent_id !== TOP ? Number(values.parent_id) : null
        : editing.parent?.id ?? null;
    // a new category goes last among its siblings; an edited one keeps its place unless it moves
    const body = categoryBody(category, values, parentId);
    setSaving(true);
    setError(null);
    try {
      const saved = category
        ? await api.put<Category>(`/knowledge/categories/${category.id}`, body)
        : await api.post<Category>('/knowledge/categories', body);
      await onSaved(saved);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setError(t('errors.unexpected'));
        return;
      }
      const placed = err.details.filter((detail) => fieldOf(detail.path));
      form.setFields(placed.map((detail) => ({ name: fieldOf(detail.path) as keyof CategoryValues, errors: [detail.message] })));
      if (placed.length === 0) setError(describeApiError(err, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('knowledgeCategories.save')}
      cancelText={t('knowledgeCategories.cancel')}
      confirmLoading={saving}
      destroyOnClose
      width={480}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        requiredMark
        initialValues={{
          name: category?.name ?? '',
          zh: category?.i18n?.['zh-CN']?.name ?? '',
          parent_id: category?.parent_id ? String(category.parent_id) : TOP,
        }}
        onFinish={() => void save()}
      >
        <Form.Item name="name" label={t('knowledgeCategories.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('knowledgeCategories.nameRequired') }]}>
          <Input maxLength={200} autoFocus lang="en" />
        </Form.Item>
        <Form.Item name="zh" label={t('knowledgeCategories.nameZh')}>
          <Input maxLength={200} lang="zh-CN" />
        </Form.Item>
        {editing.kind === 'edit' && (
          <Form.Item name="parent_id" label={t('knowledgeCategories.parent')}>
            <TreeSelect treeData={parents} treeDefaultExpandAll showSearch treeNodeFilterProp="title"
              popupMatchSelectWidth data-testid="category-parent" />
          </Form.Item>
        )}
        {/* Enter in a field saves */}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
