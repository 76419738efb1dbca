/**
 * What people type when they look for a seeded lender but not its name: the short names everyone
 * uses (招行, 建行), the English names an English reader knows (China Merchants Bank, CMB), the
 * pinyin of the app (huabei). Keyed by the lender's seed name (lenders.seed_name), so an admin
 * renaming a lender keeps them. The directory's search (app/lenders/page.tsx) also matches names,
 * products and hotlines.
 */
export const LENDER_ALIASES: Record<string, readonly string[]> = {
  '花呗/借呗（重庆蚂蚁消费金融）': ['蚂蚁', '支付宝', 'Alipay', 'Ant Group', 'Huabei', 'Jiebei'],
  招商银行信用卡: ['招行', 'China Merchants Bank', 'CMB', 'Zhaohang'],
  '建设银行 快贷': ['建行', 'China Construction Bank', 'CCB', 'Kuaidai'],
  工商银行信用卡: ['工行', 'Industrial and Commercial Bank of China', 'ICBC'],
  '美团 月付/借钱': ['Meituan'],
  '抖音 月付/放心借': ['字节', 'Douyin', 'TikTok'],
  '京东 白条/金条': ['JD', 'Jingdong', 'Baitiao', 'Jintiao'],
  '360借条': ['奇富', '360 Jietiao', 'Qifu'],
  '微粒贷（微众银行）': ['微信', 'WeChat', 'WeBank', 'Weilidai'],
  '度小满（有钱花）': ['百度', 'Baidu', 'Du Xiaoman', 'Youqianhua'],
  平安普惠: ['Ping An Puhui', 'Pingan'],
  中国银行信用卡: ['中行', 'Bank of China', 'BOC'],
  农业银行信用卡: ['农行', 'Agricultural Bank of China', 'ABC'],
  交通银行信用卡: ['交行', 'Bank of Communications', 'BOCOM'],
  广发银行信用卡: ['广发', 'China Guangfa Bank', 'CGB'],
  浦发银行信用卡: ['浦发', 'Shanghai Pudong Development Bank', 'SPDB'],
  中信银行信用卡: ['中信', 'China CITIC Bank', 'CITIC'],
  民生银行信用卡: ['民生', 'China Minsheng Bank', 'CMBC'],
  光大银行信用卡: ['光大', 'China Everbright Bank', 'CEB'],
  兴业银行信用卡: ['兴业', 'Industrial Bank', 'CIB'],
  邮储银行信用卡: ['邮储', '邮政', 'Postal Savings Bank of China', 'PSBC'],
  平安银行信用卡: ['平安', 'Ping An Bank'],
  招联金融: ['Zhaolian', 'Merchants Union Consumer Finance', 'MUCFC'],
  '马上消费金融（安逸花）': ['马上', 'Mashang', 'Anyihua'],
  捷信消费金融: ['Home Credit', 'Jiexin'],
  '分期乐（乐信）': ['Lexin', 'Fenqile'],
};

/** Lower case, and without spaces, dashes and dots: "95 555", "Home-Credit" and "homecredit" meet. */
export function searchKey(s: string): string {
  return s.normalize('NFKC').toLocaleLowerCase().replace(/[\s\-.·・]+/g, '');
}

/**
 * An acronym (CMB, ICBC, BOCOM): short, and inside a longer one (CMB in CMBC, the 民生 bank's) or
 * in an unrelated word. It is matched whole, case aside, never as a part.
 */
function isAcronym(alias: string): boolean {
  return /^[A-Z]{2,6}$/.test(alias);
}

/**
 * Does a lender match what was typed? Its name, products, hotline, and for a seeded one its aliases:
 * each as a part, except an acronym alias, which must be the whole of a word typed ("CMB" finds
 * 招商银行, not 民生银行, whose CMBC it is a part of). Typed whole first ("招商 银行" as 招商银行);
 * else each word typed must match on its own ("招商 信用卡", "建设 快贷"), as the case list's search does.
 */
export function lenderMatches(lender: { name: string; products: string[]; channels: { hotline?: string }; seedName?: string | null }, q: string): boolean {
  if (!searchKey(q)) return true;
  const fields = [lender.name, ...lender.products, lender.channels.hotline ?? ''].map(searchKey);
  const matches = (word: string) => fields.some((s) => s.includes(searchKey(word))) || aliasMatches(lender.seedName, word);
  const words = q.split(/[\s\u3000]+/).filter((w) => searchKey(w));
  return matches(q) || (words.length > 1 && words.every(matches));
}

/**
 * Does one of a seeded lender's aliases match what was typed: as a part, or whole for an acronym
 * ("Meituan", "merchants", "CMB")? Also for the advisor's table search (db/advisor.ts).
 */
export function aliasMatches(seedName: string | null | undefined, q: string): boolean {
  const needle = searchKey(q);
  const aliases = seedName ? (LENDER_ALIASES[seedName] ?? []) : [];
  if (!needle || aliases.length === 0) return false;
  return aliases.some((a) => (isAcronym(a) ? searchKey(a) === needle : searchKey(a).includes(needle)));
}

/**
 * The lender among `existing` that a new name (or a lender renamed) would be a second entry of: one
 * whose name, or seed name (an admin may have renamed it), reads the same once searchKey has folded
 * width, case, spaces and dots ("建设银行快贷" beside "建设银行 快贷"), or one the name is an alias
 * of ("招行" for 招商银行信用卡). Whole names only: "平安普惠" is not "平安". Null when there is none.
 * `alias` says which it was, for the refusal to say so.
 */
export function duplicateLender<L extends { name: string; seedName?: string | null }>(name: string, existing: readonly L[]): { lender: L; alias: boolean } | null {
  const key = searchKey(name);
  if (!key) return null;
  for (const lender of existing) {
    if (searchKey(lender.name) === key || (lender.seedName && searchKey(lender.seedName) === key)) return { lender, alias: false };
  }
  for (const lender of existing) {
    const aliases = lender.seedName ? (LENDER_ALIASES[lender.seedName] ?? []) : [];
    if (aliases.some((a) => searchKey(a) === key)) return { lender, alias: true };
  }
  return null;
}
