import { redirect } from 'next/navigation';
import { getViewer } from '@/db/viewer';

export default async function Home() {
  const viewer = await getViewer();
  // An advisor's start page is the dashboard of their clients.
  if (viewer?.role === 'advisor') redirect('/dashboard');
  // A borrower's start page is their home: every case, what is due, the month's payments.
  if (viewer?.role === 'borrower') redirect('/home');
  // An admin's start page is the accounts console.
  if (viewer?.role === 'admin') redirect('/admin');
  redirect('/signin');
}
