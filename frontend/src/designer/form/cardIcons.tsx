// The canvas cards' icons as plain inline SVG (the outlines of antd's HolderOutlined and LockOutlined):
// hundreds of cards would otherwise mount hundreds of antd icon components, each checking the
// document's style sheets when it mounts. Decorative: hidden from assistive technology.
import { memo } from 'react';

const HOLDER =
  'M300 276.5a56 56 0 1056-97 56 56 0 00-56 97zm0 284a56 56 0 1056-97 56 56 0 00-56 97zM640 228a56 56 0 10112 0 56 56 0 00-112 0zm0 284a56 56 0 10112 0 56 56 0 00-112 0zM300 844.5a56 56 0 1056-97 56 56 0 00-56 97zM640 796a56 56 0 10112 0 56 56 0 00-112 0z';
const LOCK =
  'M832 464h-68V240c0-70.7-57.3-128-128-128H388c-70.7 0-128 57.3-128 128v224h-68c-17.7 0-32 14.3-32 32v384c0 17.7 14.3 32 32 32h640c17.7 0 32-14.3 32-32V496c0-17.7-14.3-32-32-32zM332 240c0-30.9 25.1-56 56-56h248c30.9 0 56 25.1 56 56v224H332V240zm460 600H232V536h560v304zM484 701v53c0 4.4 3.6 8 8 8h40c4.4 0 8-3.6 8-8v-53a48.01 48.01 0 10-56 0z';

function icon(path: string, name: string) {
  const Icon = memo(function Icon() {
    return (
      <span className={`anticon gd-icon gd-icon-${name}`} aria-hidden="true">
        <svg viewBox="64 64 896 896" focusable="false" width="1em" height="1em" fill="currentColor">
          <path d={path} />
        </svg>
      </span>
    );
  });
  Icon.displayName = name;
  return Icon;
}

export const GripIcon = icon(HOLDER, 'holder');
export const LockIcon = icon(LOCK, 'lock');
