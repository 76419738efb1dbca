import { redirect } from 'next/navigation';
import { getViewer } from '@/db/viewer';

export default async function Home() {
  redirect((await getViewer()) ? '/cases' : '/signin');
}
