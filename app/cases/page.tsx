import { requireViewer } from '@/db/viewer';

export default async function CasesPage() {
  const viewer = await requireViewer();
  return <h1>{viewer.displayName}</h1>;
}
