// Decorative icons of the flow editors, hidden from assistive technology like those of src/icons.tsx
// (every one sits beside visible text or inside a control with its own label).
import {
  ApartmentOutlined as AntApartment,
  CheckCircleOutlined as AntCheckCircle,
  CloseCircleOutlined as AntCloseCircle,
  DeleteOutlined as AntDelete,
  ExclamationCircleOutlined as AntExclamation,
  HolderOutlined as AntHolder,
  PlayCircleOutlined as AntPlay,
  PlusOutlined as AntPlus,
  WarningOutlined as AntWarning,
  ArrowUpOutlined as AntUp,
  ArrowDownOutlined as AntDown,
} from '@ant-design/icons';
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

export const ApartmentOutlined = decorative(AntApartment as AntIcon, 'ApartmentOutlined');
export const CheckCircleOutlined = decorative(AntCheckCircle as AntIcon, 'CheckCircleOutlined');
export const CloseCircleOutlined = decorative(AntCloseCircle as AntIcon, 'CloseCircleOutlined');
export const DeleteOutlined = decorative(AntDelete as AntIcon, 'DeleteOutlined');
export const ExclamationCircleOutlined = decorative(AntExclamation as AntIcon, 'ExclamationCircleOutlined');
export const HolderOutlined = decorative(AntHolder as AntIcon, 'HolderOutlined');
export const PlayCircleOutlined = decorative(AntPlay as AntIcon, 'PlayCircleOutlined');
export const PlusOutlined = decorative(AntPlus as AntIcon, 'PlusOutlined');
export const WarningOutlined = decorative(AntWarning as AntIcon, 'WarningOutlined');
export const ArrowUpOutlined = decorative(AntUp as AntIcon, 'ArrowUpOutlined');
export const ArrowDownOutlined = decorative(AntDown as AntIcon, 'ArrowDownOutlined');
