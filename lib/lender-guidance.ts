import type { LenderChannels } from '@/db/schema';

/**
 * A lender's guidance (app path, branch, complaints) in the reader's language: the directory's
 * English where it has it, else as it is written (a private lender's is in its owner's words).
 */
export function channelsIn(channels: LenderChannels, locale: string): LenderChannels {
  return locale === 'en' && channels.en ? { ...channels, ...channels.en } : channels;
}
