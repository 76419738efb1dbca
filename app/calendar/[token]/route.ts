import { systemCalendarForToken } from '@/db/calendar';
import { appOrigin } from '@/lib/app-url';
import { buildCalendar } from '@/lib/calendar-feed';

/**
 * The private calendar feed: GET /calendar/<token>.ics. Calendar apps (Apple, Google,
 * Outlook) fetch it without a cookie, so the token in the URL is the only key. A token that is
 * unknown, malformed or regenerated away gets the same bare 404: nothing tells them apart.
 */

export const dynamic = 'force-dynamic';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' };

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token: segment } = await params;
  const token = segment.endsWith('.ics') ? segment.slice(0, -'.ics'.length) : segment;
  const data = systemCalendarForToken(token);
  if (!data) return new Response(null, { status: 404, headers: PRIVATE });
  const body = buildCalendar(data, { appUrl: appOrigin(request.headers) });
  return new Response(body, {
    status: 200,
    headers: {
      ...PRIVATE,
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="respite.ics"',
    },
  });
}
