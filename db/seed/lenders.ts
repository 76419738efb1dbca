import { isDeepStrictEqual } from 'node:util';
import { eq, isNull } from 'drizzle-orm';
import type { DocumentKind, Program } from '../../lib/domain';
import type { DB } from '../client';
import { lenders, type LenderChannels, type NewLender } from '../schema';

/**
 * The public lender directory a fresh database starts with (DESIGN.md §3: "Seeded with the
 * common lenders; an admin curates it").
 *
 * What is deliberately NOT here: menu paths we cannot vouch for, and hotlines we are not sure
 * of. App paths are phrased as "search for 协商还款 / contact online service", which survives
 * app redesigns; a hotline is given only where it is the lender's long-published service
 * number. Review times are typical values, not promises: 5 workdays where nothing better is
 * known, longer for banks' 个性化分期 which goes through a separate review.
 */

// Escalation routes, worded once so every lender of a kind says the same thing.
const BANK_COMPLAINT =
  '先向银行官方客服投诉；未解决可拨打国家金融监督管理总局 12378 热线或中国人民银行 12363 热线，也可申请银行业纠纷调解中心调解';
const CONSUMER_FINANCE_COMPLAINT =
  '先向公司官方客服投诉；未解决可拨打国家金融监督管理总局 12378 热线，也可申请金融纠纷调解';
const PLATFORM_COMPLAINT =
  '平台客服投诉通道；先在借款合同中查明实际放款机构，持牌银行或消费金融公司放款的可拨打 12378 投诉，小额贷款公司可向其所在地金融管理部门投诉';
const ASK_ONLINE = '，或联系在线客服说明情况';

// The same in English, for readers of the English interface. App and menu names stay in Chinese,
// with the words to search for: that is what the borrower sees on their phone.
const BANK_COMPLAINT_EN =
  'First complain to the bank’s official customer service. If that does not settle it, call the National Financial Regulatory Administration’s hotline 12378 or the People’s Bank of China’s hotline 12363, or ask the banking dispute mediation centre to mediate';
const CONSUMER_FINANCE_COMPLAINT_EN =
  'First complain to the company’s official customer service. If that does not settle it, call the National Financial Regulatory Administration’s hotline 12378, or ask for financial dispute mediation';
const PLATFORM_COMPLAINT_EN =
  'Use the platform’s complaint channel. Find in the loan contract who actually lent the money: if it was a licensed bank or consumer finance company, you can complain on 12378; if it was a microloan company, to the financial authority where it is registered';
const ASK_ONLINE_EN = ', or contact online customer service and explain your situation';
const SEARCH_EN = 'search for “协商还款” (negotiate repayment)';

// Programs each kind is commonly known to negotiate. Banks: 个性化分期 (for credit cards under
// 《商业银行信用卡业务监督管理办法》第七十条, up to 5 years; for other bank loans, such as 快贷 or
// 微粒贷, by the bank's own policy, not that rule), penalty waivers, and — rarely and case by case —
// 停息挂账. Licensed consumer-finance companies: instalments, waivers, extensions. Platforms:
// re-instalment and extension of the product's own schedule.
const BANK_PROGRAMS: Program[] = ['instalments', 'penalty_waiver', 'suspension', 'mediation', 'complaint'];
const CONSUMER_FINANCE_PROGRAMS: Program[] = [
  'instalments',
  'penalty_waiver',
  'extension',
  'suspension',
  'mediation',
  'complaint',
];
const PLATFORM_PROGRAMS: Program[] = ['instalments', 'extension', 'penalty_waiver', 'complaint'];

// Proof of hardship most lenders ask for; medical and unemployment proof only where that is the cause,
// but they belong on the checklist so the borrower knows they count.
const BANK_DOCUMENTS: DocumentKind[] = [
  'id_card',
  'hardship_letter',
  'income_proof',
  'bank_statement',
  'medical_proof',
  'unemployment_proof',
];
const CONSUMER_FINANCE_DOCUMENTS: DocumentKind[] = [
  'id_card',
  'hardship_letter',
  'income_proof',
  'medical_proof',
  'unemployment_proof',
];
const PLATFORM_DOCUMENTS: DocumentKind[] = ['hardship_letter', 'income_proof', 'medical_proof', 'unemployment_proof'];

function creditCardBank(
  name: string,
  options: { app: string; hotline?: string; products?: string[]; reviewWorkdays?: number },
): NewLender {
  const channels: LenderChannels = {
    app: `${options.app}内搜索“协商还款”或“个性化分期”${ASK_ONLINE}`,
    branch: '可到就近营业网点咨询；信用卡协商以电话和 App 办理为主',
    complaint: BANK_COMPLAINT,
    en: {
      // "掌上生活 App 或招商银行 App " → "掌上生活 App or 招商银行 App"
      app: `In ${options.app.trim().replace(' 或', ' or ')}, ${SEARCH_EN} or “个性化分期” (personalised instalments)${ASK_ONLINE_EN}`,
      branch: 'You can ask at a nearby branch; credit card negotiation is mostly done by phone and in the app',
      complaint: BANK_COMPLAINT_EN,
    },
  };
  if (options.hotline) channels.hotline = options.hotline;
  return {
    name,
    kind: 'bank',
    products: options.products ?? ['信用卡'],
    channels,
    programs: BANK_PROGRAMS,
    documents: BANK_DOCUMENTS,
    reviewWorkdays: options.reviewWorkdays ?? 10,
    ownerId: null,
  };
}

export const PUBLIC_LENDERS: NewLender[] = [
  // ——— the lenders borrowers name most often ———
  {
    name: '花呗/借呗（重庆蚂蚁消费金融）',
    kind: 'consumer_finance',
    products: ['花呗', '借呗'],
    channels: {
      app: `支付宝 → 我的 → 花呗 / 借呗 → 账单页查找“协商还款”入口，或在支付宝内搜索“协商还款”${ASK_ONLINE}`,
      hotline: '95188',
      complaint: CONSUMER_FINANCE_COMPLAINT,
      en: {
        // At most 200 characters, as the admin's form takes (lib/validation.ts publicLenderSchema).
        app: `支付宝 (Alipay) → 我的 → 花呗 / 借呗 → look on the bill page for “协商还款” (negotiate repayment), or search for it in Alipay${ASK_ONLINE_EN}`,
        complaint: CONSUMER_FINANCE_COMPLAINT_EN,
      },
    },
    programs: ['instalments', 'extension', 'penalty_waiver', 'suspension', 'mediation', 'complaint'],
    documents: CONSUMER_FINANCE_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  creditCardBank('招商银行信用卡', {
    app: '掌上生活 App 或招商银行 App ',
    hotline: '95555',
    products: ['信用卡', 'e招贷'],
    reviewWorkdays: 7,
  }),
  {
    name: '建设银行 快贷',
    kind: 'bank',
    products: ['快贷', '信用卡（龙卡）'],
    channels: {
      app: `中国建设银行 App 内搜索“快贷”查看借据，或搜索“协商还款”${ASK_ONLINE}；信用卡可在建行生活 App 办理`,
      hotline: '95533',
      branch: '快贷可到开户行或就近营业网点提交材料',
      complaint: BANK_COMPLAINT,
      en: {
        app: `In the 中国建设银行 App, search for “快贷” to see the loan, or ${SEARCH_EN}${ASK_ONLINE_EN}; credit cards are handled in the 建行生活 App`,
        branch: 'For 快贷 you can hand in materials at the branch where you opened the account, or a nearby one',
        complaint: BANK_COMPLAINT_EN,
      },
    },
    programs: BANK_PROGRAMS,
    documents: BANK_DOCUMENTS,
    reviewWorkdays: 10,
    ownerId: null,
  },
  creditCardBank('工商银行信用卡', {
    app: '中国工商银行 App 或工银e生活 App ',
    hotline: '95588',
    products: ['信用卡', '融e借'],
  }),
  {
    name: '美团 月付/借钱',
    kind: 'platform',
    products: ['美团月付', '美团借钱'],
    channels: {
      app: `美团 App 内搜索“月付”或“借钱”进入对应页面，查找“协商还款”入口${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: {
        app: `In the 美团 (Meituan) App, search for “月付” or “借钱”, open its page and look for “协商还款” (negotiate repayment)${ASK_ONLINE_EN}`,
        complaint: PLATFORM_COMPLAINT_EN,
      },
    },
    programs: PLATFORM_PROGRAMS,
    documents: PLATFORM_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    name: '抖音 月付/放心借',
    kind: 'platform',
    products: ['抖音月付', '放心借'],
    channels: {
      app: `抖音 App 内搜索“月付”或“放心借”进入对应页面，查找“协商还款”入口${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: {
        app: `In the 抖音 (Douyin) App, search for “月付” or “放心借”, open its page and look for “协商还款” (negotiate repayment)${ASK_ONLINE_EN}`,
        complaint: PLATFORM_COMPLAINT_EN,
      },
    },
    programs: PLATFORM_PROGRAMS,
    documents: PLATFORM_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    name: '京东 白条/金条',
    kind: 'platform',
    products: ['京东白条', '京东金条'],
    channels: {
      app: `京东金融 App 内搜索“协商还款”${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: { app: `In the 京东金融 (JD Finance) App, ${SEARCH_EN}${ASK_ONLINE_EN}`, complaint: PLATFORM_COMPLAINT_EN },
    },
    programs: PLATFORM_PROGRAMS,
    documents: PLATFORM_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    name: '360借条',
    kind: 'platform',
    products: ['360借条'],
    channels: {
      app: `360借条 App 内搜索“协商还款”${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: { app: `In the 360借条 App, ${SEARCH_EN}${ASK_ONLINE_EN}`, complaint: PLATFORM_COMPLAINT_EN },
    },
    // 360 borrowers also report online mediation (多元网上调解) offers.
    programs: [...PLATFORM_PROGRAMS, 'mediation'],
    documents: PLATFORM_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    name: '微粒贷（微众银行）',
    kind: 'bank',
    products: ['微粒贷'],
    channels: {
      app: `微信或手机 QQ 内搜索“微粒贷”进入借款页面，查找“协商还款”入口${ASK_ONLINE}`,
      hotline: '95384',
      complaint: BANK_COMPLAINT,
      en: {
        app: `In WeChat or mobile QQ, search for “微粒贷”, open the loan page and look for “协商还款” (negotiate repayment)${ASK_ONLINE_EN}`,
        complaint: BANK_COMPLAINT_EN,
      },
    },
    programs: ['instalments', 'extension', 'penalty_waiver', 'mediation', 'complaint'],
    documents: ['id_card', 'hardship_letter', 'income_proof', 'medical_proof', 'unemployment_proof'],
    reviewWorkdays: 7,
    ownerId: null,
  },
  {
    name: '度小满（有钱花）',
    kind: 'platform',
    products: ['有钱花'],
    channels: {
      app: `度小满 App 内搜索“协商还款”${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: { app: `In the 度小满 App, ${SEARCH_EN}${ASK_ONLINE_EN}`, complaint: PLATFORM_COMPLAINT_EN },
    },
    programs: PLATFORM_PROGRAMS,
    documents: PLATFORM_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    name: '平安普惠',
    kind: 'platform',
    products: ['平安普惠借款'],
    channels: {
      app: `平安普惠相关 App 内查找“协商还款”${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: { app: `In the 平安普惠 app you borrowed through, look for “协商还款” (negotiate repayment)${ASK_ONLINE_EN}`, complaint: PLATFORM_COMPLAINT_EN },
    },
    programs: PLATFORM_PROGRAMS,
    documents: [...PLATFORM_DOCUMENTS, 'id_card', 'bank_statement'],
    reviewWorkdays: 5,
    ownerId: null,
  },

  // ——— other banks' credit cards ———
  creditCardBank('中国银行信用卡', { app: '缤纷生活 App 或中国银行 App ', hotline: '95566' }),
  creditCardBank('农业银行信用卡', { app: '中国农业银行 App ', hotline: '95599' }),
  creditCardBank('交通银行信用卡', { app: '买单吧 App 或交通银行 App ', hotline: '95559' }),
  creditCardBank('广发银行信用卡', { app: '发现精彩 App 或广发银行 App ', hotline: '95508' }),
  creditCardBank('浦发银行信用卡', { app: '浦大喜奔 App 或浦发银行 App ', hotline: '95528' }),
  creditCardBank('中信银行信用卡', { app: '动卡空间 App 或中信银行 App ', hotline: '95558' }),
  creditCardBank('民生银行信用卡', { app: '全民生活 App 或民生银行 App ', hotline: '95568' }),
  creditCardBank('光大银行信用卡', { app: '阳光惠生活 App 或光大银行 App ', hotline: '95595' }),
  creditCardBank('兴业银行信用卡', { app: '兴业银行 App ', hotline: '95561' }),
  creditCardBank('邮储银行信用卡', { app: '中国邮政储蓄银行 App ', hotline: '95580' }),
  creditCardBank('平安银行信用卡', { app: '平安口袋银行 App ' }),

  // ——— licensed consumer-finance companies ———
  {
    name: '招联金融',
    kind: 'consumer_finance',
    products: ['招联好期贷'],
    channels: {
      app: `招联金融 App 内搜索“协商还款”${ASK_ONLINE}`,
      complaint: CONSUMER_FINANCE_COMPLAINT,
      en: { app: `In the 招联金融 App, ${SEARCH_EN}${ASK_ONLINE_EN}`, complaint: CONSUMER_FINANCE_COMPLAINT_EN },
    },
    programs: CONSUMER_FINANCE_PROGRAMS,
    documents: CONSUMER_FINANCE_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    // 安逸花 is 马上消费金融's product: one lender, so a search for either finds it.
    name: '马上消费金融（安逸花）',
    kind: 'consumer_finance',
    products: ['安逸花'],
    channels: {
      app: `安逸花 App 内搜索“协商还款”${ASK_ONLINE}`,
      complaint: CONSUMER_FINANCE_COMPLAINT,
      en: { app: `In the 安逸花 App, ${SEARCH_EN}${ASK_ONLINE_EN}`, complaint: CONSUMER_FINANCE_COMPLAINT_EN },
    },
    programs: CONSUMER_FINANCE_PROGRAMS,
    documents: CONSUMER_FINANCE_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
  {
    name: '捷信消费金融',
    kind: 'consumer_finance',
    products: ['捷信分期', '捷信现金贷'],
    channels: {
      app: `捷信金融 App 内查找“协商还款”${ASK_ONLINE}`,
      complaint: CONSUMER_FINANCE_COMPLAINT,
      en: { app: `In the 捷信金融 App, look for “协商还款” (negotiate repayment)${ASK_ONLINE_EN}`, complaint: CONSUMER_FINANCE_COMPLAINT_EN },
    },
    programs: CONSUMER_FINANCE_PROGRAMS,
    documents: CONSUMER_FINANCE_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },

  // ——— other platforms ———
  {
    name: '分期乐（乐信）',
    kind: 'platform',
    products: ['分期乐'],
    channels: {
      app: `分期乐 App 内搜索“协商还款”${ASK_ONLINE}`,
      complaint: PLATFORM_COMPLAINT,
      en: { app: `In the 分期乐 App, ${SEARCH_EN}${ASK_ONLINE_EN}`, complaint: PLATFORM_COMPLAINT_EN },
    },
    programs: PLATFORM_PROGRAMS,
    documents: PLATFORM_DOCUMENTS,
    reviewWorkdays: 5,
    ownerId: null,
  },
];

/**
 * English app paths once seeded and since reworded, by seed name. 花呗/借呗's was 201 characters, one
 * more than the admin's form takes (lib/validation.ts publicLenderSchema): its form could not be saved
 * unchanged. A directory that still has it word for word is given the current wording (seedLenders).
 */
export const REWORDED_EN_APP: Record<string, string> = {
  '花呗/借呗（重庆蚂蚁消费金融）':
    '支付宝 (Alipay) → 我的 → 花呗 / 借呗 → look on the bill page for “协商还款” (negotiate repayment), or search for “协商还款” (negotiate repayment) in Alipay, or contact online customer service and explain your situation',
};

/**
 * Adds every public lender not yet in the public directory, in one transaction. A lender
 * already there (matched by name among public lenders) is left exactly as it is: an admin
 * may have curated it. Two exceptions: a lender seeded before the directory had English, whose
 * guidance is still word for word as seeded, is given the English; and an English app path still
 * word for word as an earlier seed had it (REWORDED_EN_APP) is given the current one. A borrower's
 * private lender of the same name does not count.
 * Synchronous on purpose — better-sqlite3 transactions do not roll back an async callback.
 */
export function seedLenders(db: DB): void {
  db.transaction((tx) => {
    // Known by the seed's name (seed_name), not the current one: a lender an admin renamed is
    // still the seed's, and is not added again under its old name.
    const present = new Map(
      tx
        .select({ id: lenders.id, name: lenders.name, seedName: lenders.seedName, channels: lenders.channels })
        .from(lenders)
        .where(isNull(lenders.ownerId))
        .all()
        .map((row) => [row.seedName ?? row.name, row]),
    );
    const missing = PUBLIC_LENDERS.filter((lender) => !present.has(lender.name)).map((lender) => ({
      ...lender,
      seedName: lender.name,
      ownerId: null,
    }));
    if (missing.length > 0) tx.insert(lenders).values(missing).run();
    for (const lender of PUBLIC_LENDERS) {
      const row = present.get(lender.name);
      const { en, ...seeded } = lender.channels ?? {};
      if (row && en && !row.channels.en && isDeepStrictEqual(row.channels, seeded)) {
        tx.update(lenders).set({ channels: lender.channels }).where(eq(lenders.id, row.id)).run();
      } else if (row?.channels.en?.app && en?.app && row.channels.en.app === REWORDED_EN_APP[lender.name]) {
        tx.update(lenders)
          .set({ channels: { ...row.channels, en: { ...row.channels.en, app: en.app } } })
          .where(eq(lenders.id, row.id))
          .run();
      }
    }
  });
}
