// Decorative icons. antd icons carry role="img" and an English aria-label
// ("key", "plus", ...) that would leak into accessible names ("plus New user")
// and collide with form labels ("Key"). Every icon in this app sits next to
// visible text or inside a control with its own label, so the icons exported
// here are hidden from assistive technology. Import icons from this module,
// not from @ant-design/icons; add new ones to the list below.
import * as Ant from '@ant-design/icons';
import type { ComponentType, CSSProperties } from 'react';

interface IconProps {
  style?: CSSProperties;
  className?: string;
  spin?: boolean;
}

function decorative(Icon: ComponentType<Record<string, unknown>>, name: string): ComponentType<IconProps> {
  const Decorative = (props: IconProps) => <Icon {...props} aria-hidden aria-label={undefined} />;
  Decorative.displayName = name;
  return Decorative;
}

type AntIcon = ComponentType<Record<string, unknown>>;

export const ApiOutlined = decorative(Ant.ApiOutlined as AntIcon, 'ApiOutlined');
export const AppstoreOutlined = decorative(Ant.AppstoreOutlined as AntIcon, 'AppstoreOutlined');
export const ArrowLeftOutlined = decorative(Ant.ArrowLeftOutlined as AntIcon, 'ArrowLeftOutlined');
export const BlockOutlined = decorative(Ant.BlockOutlined as AntIcon, 'BlockOutlined');
export const BookOutlined = decorative(Ant.BookOutlined as AntIcon, 'BookOutlined');
export const BuildOutlined = decorative(Ant.BuildOutlined as AntIcon, 'BuildOutlined');
export const CalendarOutlined = decorative(Ant.CalendarOutlined as AntIcon, 'CalendarOutlined');
export const BarChartOutlined = decorative(Ant.BarChartOutlined as AntIcon, 'BarChartOutlined');
export const BellOutlined = decorative(Ant.BellOutlined as AntIcon, 'BellOutlined');
export const CheckOutlined = decorative(Ant.CheckOutlined as AntIcon, 'CheckOutlined');
export const CloseOutlined = decorative(Ant.CloseOutlined as AntIcon, 'CloseOutlined');
export const CopyOutlined = decorative(Ant.CopyOutlined as AntIcon, 'CopyOutlined');
export const DeleteOutlined = decorative(Ant.DeleteOutlined as AntIcon, 'DeleteOutlined');
export const DownOutlined = decorative(Ant.DownOutlined as AntIcon, 'DownOutlined');
export const EditOutlined = decorative(Ant.EditOutlined as AntIcon, 'EditOutlined');
export const FileAddOutlined = decorative(Ant.FileAddOutlined as AntIcon, 'FileAddOutlined');
export const GlobalOutlined = decorative(Ant.GlobalOutlined as AntIcon, 'GlobalOutlined');
export const HeartOutlined = decorative(Ant.HeartOutlined as AntIcon, 'HeartOutlined');
export const HomeOutlined = decorative(Ant.HomeOutlined as AntIcon, 'HomeOutlined');
export const IdcardOutlined = decorative(Ant.IdcardOutlined as AntIcon, 'IdcardOutlined');
export const InboxOutlined = decorative(Ant.InboxOutlined as AntIcon, 'InboxOutlined');
export const KeyOutlined = decorative(Ant.KeyOutlined as AntIcon, 'KeyOutlined');
export const LinkOutlined = decorative(Ant.LinkOutlined as AntIcon, 'LinkOutlined');
export const LockOutlined = decorative(Ant.LockOutlined as AntIcon, 'LockOutlined');
export const LogoutOutlined = decorative(Ant.LogoutOutlined as AntIcon, 'LogoutOutlined');
export const MailOutlined = decorative(Ant.MailOutlined as AntIcon, 'MailOutlined');
export const MenuOutlined = decorative(Ant.MenuOutlined as AntIcon, 'MenuOutlined');
export const PaperClipOutlined = decorative(Ant.PaperClipOutlined as AntIcon, 'PaperClipOutlined');
export const PictureOutlined = decorative(Ant.PictureOutlined as AntIcon, 'PictureOutlined');
export const PlusOutlined = decorative(Ant.PlusOutlined as AntIcon, 'PlusOutlined');
export const ProfileOutlined = decorative(Ant.ProfileOutlined as AntIcon, 'ProfileOutlined');
export const SafetyCertificateOutlined = decorative(Ant.SafetyCertificateOutlined as AntIcon, 'SafetyCertificateOutlined');
export const SaveOutlined = decorative(Ant.SaveOutlined as AntIcon, 'SaveOutlined');
export const SearchOutlined = decorative(Ant.SearchOutlined as AntIcon, 'SearchOutlined');
export const SendOutlined = decorative(Ant.SendOutlined as AntIcon, 'SendOutlined');
export const TeamOutlined = decorative(Ant.TeamOutlined as AntIcon, 'TeamOutlined');
export const UnorderedListOutlined = decorative(Ant.UnorderedListOutlined as AntIcon, 'UnorderedListOutlined');
export const UserOutlined = decorative(Ant.UserOutlined as AntIcon, 'UserOutlined');
