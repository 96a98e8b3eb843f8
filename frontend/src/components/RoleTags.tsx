import { Space, Tag } from 'antd';

const COLORS: Record<string, string> = { admin: 'red', agent: 'blue' };

export default function RoleTags({ roles }: { roles: string[] }) {
  if (!roles.length) return null;
  return (
    <Space size={[0, 4]} wrap>
      {roles.map((role) => (
        <Tag key={role} color={COLORS[role] ?? 'default'}>
          {role}
        </Tag>
      ))}
    </Space>
  );
}
