// Designer-only icons, hidden from assistive technology like those in ../icons.tsx (kept here so the
// portal's chunks do not carry them).
import * as Ant from '@ant-design/icons';
import type { ComponentType, CSSProperties } from 'react';

interface IconProps {
  style?: CSSProperties;
  className?: string;
}
type AntIcon = ComponentType<Record<string, unknown>>;

function decorative(Icon: AntIcon, name: string): ComponentType<IconProps> {
  const Decorative = (props: IconProps) => <Icon {...props} aria-hidden aria-label={undefined} />;
  Decorative.displayName = name;
  return Decorative;
}

export const UndoOutlined = decorative(Ant.UndoOutlined as AntIcon, 'UndoOutlined');
export const RedoOutlined = decorative(Ant.RedoOutlined as AntIcon, 'RedoOutlined');
export const WarningOutlined = decorative(Ant.WarningOutlined as AntIcon, 'WarningOutlined');
export const HolderOutlined = decorative(Ant.HolderOutlined as AntIcon, 'HolderOutlined');
export const ArrowUpOutlined = decorative(Ant.ArrowUpOutlined as AntIcon, 'ArrowUpOutlined');
export const ArrowDownOutlined = decorative(Ant.ArrowDownOutlined as AntIcon, 'ArrowDownOutlined');
export const LockOutlined = decorative(Ant.LockOutlined as AntIcon, 'LockOutlined');
export const DownloadOutlined = decorative(Ant.DownloadOutlined as AntIcon, 'DownloadOutlined');
export const UploadOutlined = decorative(Ant.UploadOutlined as AntIcon, 'UploadOutlined');
export const EditOutlined = decorative(Ant.EditOutlined as AntIcon, 'EditOutlined');
export const CopyOutlined = decorative(Ant.CopyOutlined as AntIcon, 'CopyOutlined');
export const DeleteOutlined = decorative(Ant.DeleteOutlined as AntIcon, 'DeleteOutlined');
export const PlusOutlined = decorative(Ant.PlusOutlined as AntIcon, 'PlusOutlined');
export const ArrowLeftOutlined = decorative(Ant.ArrowLeftOutlined as AntIcon, 'ArrowLeftOutlined');
export const FormOutlined = decorative(Ant.FormOutlined as AntIcon, 'FormOutlined');
export const ExperimentOutlined = decorative(Ant.ExperimentOutlined as AntIcon, 'ExperimentOutlined');
