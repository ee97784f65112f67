/* gen.c: deterministic benchmark data for crm.
 *
 *   gen [--rows N] [--seed S] [--bom] [--crlf] [--gb18030] [--jsonl|--sql] [-o FILE]
 *   gen --deals N [--moves M] [--seed S] [-o FILE]
 *   gen --events N [--leads L] [--seed S] [--sql] [-o FILE]
 *   gen --ids K --leads L [--seed S]
 *   gen --cash N [--seed S] [-o FILE]
 *   gen --bank K --contracts N [--seed S] [-o FILE]
 *
 * Leads come as a spreadsheet would have them: Chinese headers, mixed phone
 * formats, ~3% duplicates (the same person again, phone typed another way),
 * quoted notes with commas, quotes and newlines. --sql prints the unique
 * leads already normalised (what an import keeps) as INSERTs for a `crm
 * init` database; --deals prints deals with stage histories as INSERTs;
 * --events prints behaviour events as JSON lines for `crm track`; --cash
 * prints N signed contracts with 3 plans and 5 payments each (applied to
 * the plans in due order) as INSERTs; --bank prints a bank statement of K
 * payments on those contracts as a CSV for `crm import payments`.
 *
 * Every value is a pure function of (seed, record number, field), so the
 * same options always give the same bytes, and a duplicate can regenerate
 * the person it repeats without keeping anything in memory. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- randomness: stateless hashing ---- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A random number for field `f` of record `i` under seed `s`. */
static uint64_t rnd(uint64_t s, uint64_t i, uint64_t f)
{
	return mix(mix(s ^ mix(i)) ^ (f * 0x632be59bd9b4e019ULL));
}

static uint64_t pick(uint64_t s, uint64_t i, uint64_t f, uint64_t n)
{
	return rnd(s, i, f) % n;
}

/* True with probability pct/1000. */
static int chance(uint64_t s, uint64_t i, uint64_t f, unsigned per_mille)
{
	return pick(s, i, f, 1000) < per_mille;
}

/* Field numbers for rnd(): every use of randomness has its own. */
enum {
	F_DUP = 1, F_DUPOF, F_SURNAME, F_GLEN, F_G1, F_G2, F_PHONEFMT, F_PREFIX,
	F_HASPHONE, F_LANDLINE, F_HASEMAIL, F_EMAILSTYLE, F_DOMAIN, F_CITY,
	F_BRAND, F_INDUSTRY, F_SUFFIX, F_CHINA, F_REGIONBIG, F_SOURCE, F_TITLE,
	F_HASBUDGET, F_BUDGET, F_BUDGETFMT, F_HASNOTE, F_NFRAG, F_FRAG, F_SEP,
	F_DAY, F_MIN, F_DATEFMT, F_DUPPHONEFMT, F_DUPEMAIL, F_DUPLATER,
	F_SPAN, F_DEALDAY, F_AMOUNT, F_OWNER, F_PRODUCT, F_STEP, F_GAP, F_END,
	F_REASON, F_CLOSE, F_EVENT, F_LEAD, F_JITTER, F_ID,
	F_SIGNED, F_PAID, F_PAYDAY, F_METHOD,
};

/* ---- tables ---- */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
	"叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
	"陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊",
	"秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾",
	"毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "莫", "孔", "汤", "欧阳", "司马",
	"上官", "诸葛",
};
/* Pinyin of surnames[], same order, for email addresses. */
static const char *const surname_py[] = {
	"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu",
	"sun", "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie",
	"song", "tang", "xu", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian",
	"dong", "yuan", "pan", "yu", "jiang", "cai", "yu", "du", "ye", "cheng", "su", "wei",
	"lv", "ding", "ren", "shen", "yao", "lu", "jiang", "cui", "zhong", "tan", "lu", "wang",
	"fan", "jin", "shi", "liao", "jia", "xia", "wei", "fang", "bai", "zou", "meng",
	"xiong", "qin", "qiu", "jiang", "yin", "xue", "duan", "lei", "hou", "long", "shi",
	"tao", "li", "he", "gu", "mao", "hao", "gong", "shao", "wan", "qian", "yan", "wu",
	"dai", "mo", "kong", "tang", "ouyang", "sima", "shangguan", "zhuge",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "霞", "平", "刚", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇",
	"浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "欣", "佳", "雪", "婷", "颖",
	"琳", "晨", "阳", "晶", "倩", "慧", "丹", "玲", "萍", "红", "燕", "梅", "莉", "兰",
	"凤", "洁", "琴", "云", "莹", "楠", "博", "文", "昊", "子", "涵", "轩", "梓", "睿",
	"思", "雨", "嘉", "一", "诗", "可", "怡", "泽", "铭", "天", "志", "建", "国", "海",
	"春", "晓", "亮", "峰", "成", "东",
};
/* Two-character given names that are usual as a whole. */
static const char *const given2[] = {
	"秀英", "桂英", "秀兰", "玉兰", "建华", "建国", "志强", "海燕", "晓明", "子轩",
};

struct city {
	const char *name, *province, *big, *area;
};
static const struct city cities[] = {
	{ "杭州", "浙江", "华东", "0571" }, { "宁波", "浙江", "华东", "0574" },
	{ "上海", "上海", "华东", "021" }, { "南京", "江苏", "华东", "025" },
	{ "苏州", "江苏", "华东", "0512" }, { "无锡", "江苏", "华东", "0510" },
	{ "合肥", "安徽", "华东", "0551" }, { "福州", "福建", "华东", "0591" },
	{ "厦门", "福建", "华东", "0592" }, { "济南", "山东", "华东", "0531" },
	{ "青岛", "山东", "华东", "0532" }, { "北京", "北京", "华北", "010" },
	{ "天津", "天津", "华北", "022" }, { "石家庄", "河北", "华北", "0311" },
	{ "深圳", "广东", "华南", "0755" }, { "广州", "广东", "华南", "020" },
	{ "东莞", "广东", "华南", "0769" }, { "佛山", "广东", "华南", "0757" },
	{ "武汉", "湖北", "华中", "027" }, { "长沙", "湖南", "华中", "0731" },
	{ "郑州", "河南", "华中", "0371" }, { "成都", "四川", "西南", "028" },
	{ "重庆", "重庆", "西南", "023" }, { "昆明", "云南", "西南", "0871" },
	{ "西安", "陕西", "西北", "029" }, { "沈阳", "辽宁", "东北", "024" },
	{ "大连", "辽宁", "东北", "0411" },
};
static const char *const brands[] = {
	"云启", "华信", "博远", "鼎盛", "恒通", "瑞达", "创新", "锐思", "天成", "嘉禾",
	"新桥", "蓝海", "星辰", "远航", "智联", "众合", "卓越", "德润", "金鹰", "宏图",
	"汇通", "永盛", "海纳", "中科", "易达", "领航", "光明", "长风", "晨曦", "百川",
	"千帆", "万象", "同创", "和信", "安泰", "明德", "启明", "聚能", "北辰", "青禾",
};
struct industry {
	const char *name, *word;
};
static const struct industry industries[] = {
	{ "互联网", "网络科技" }, { "软件", "软件" }, { "软件", "信息技术" },
	{ "制造业", "机械制造" }, { "制造业", "精密制造" }, { "零售", "商贸" },
	{ "教育", "教育咨询" }, { "医疗", "医疗器械" }, { "医疗", "生物科技" },
	{ "金融", "投资管理" }, { "物流", "物流" }, { "房地产", "置业" },
	{ "餐饮", "餐饮管理" }, { "能源", "新能源" }, { "汽车", "汽车配件" },
	{ "电子", "电子" }, { "咨询", "企业管理咨询" }, { "传媒", "文化传媒" },
	{ "建筑", "建筑工程" }, { "化工", "化工" },
};
static const char *const suffixes[] = {
	"有限公司", "有限公司", "有限公司", "有限公司", "有限公司", "有限公司",
	"股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "",
};
static const char *const sources[] = {
	"官网", "展会", "百度推广", "微信公众号", "抖音", "转介绍", "电话营销", "线下活动",
	"合作伙伴", "老客户推荐", "知乎", "小红书",
};
static const char *const titles[] = {
	"CEO", "总经理", "总监", "销售总监", "技术总监", "采购经理", "经理", "主管", "负责人",
	"工程师", "专员", "助理", "CTO", "董事长", "副总裁", "运营经理", "市场经理", "IT经理",
	"行政主管", "采购专员",
};
static const char *const fragments[] = {
	"客户说喜欢喝普洱茶", "下周三前发报价", "已加微信", "关注价格, 希望有折扣",
	"需要和老板商量", "对接过竞品", "电话没人接，明天再打", "预算有限",
	"年底有采购计划", "要求上门演示", "说\"考虑一下\"", "对数据安全很在意",
	"想先试用一个月", "决策人是采购部王总", "上次展会聊过", "需要开增值税专用发票",
	"公司在扩张, 明年招50人", "已发资料, 等反馈", "约了下周二视频会议",
	"提到\"去年的系统不好用\"", "客户在外地出差", "让我们先出方案",
	"对价格敏感，比较了三家", "老客户介绍来的",
};
static const char *const domains[] = {
	"163.com", "126.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com",
	"aliyun.com", "sohu.com",
};
static const char *const owners[] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
	"mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor",
	"walter", "wendy",
};
static const char *const products[] = {
	"CRM年度订阅", "ERP实施项目", "数据中台", "私有化部署", "渠道合作", "培训服务",
	"硬件采购", "云服务器", "安全审计", "定制开发",
};
static const char *const lost_reasons[] = {
	"价格太高", "选择了竞品", "预算取消", "没有回应", "需求变化", "决策人离职",
};
struct stage {
	const char *key;
	int prob;
};
/* The default pipeline (share/schema/002-records.sql). */
static const struct stage stages[] = {
	{ "new", 10 }, { "qualified", 25 }, { "proposal", 50 }, { "negotiation", 75 },
	{ "won", 100 }, { "lost", 0 },
};
#define OPEN_STAGES 4
#define WON 4
#define LOST 5
static const char *const event_names[] = {
	"pricing_page_view", "pricing_page_view", "pricing_page_view", "pricing_page_view",
	"page_view", "page_view", "whitepaper_download", "whitepaper_download",
	"webinar", "demo_request", "budget_confirmed",
};
static const char *const csv_headers[] = {
	"姓名", "手机", "邮箱", "公司", "行业", "地区", "来源", "职位", "预算", "备注", "创建时间",
};
static const char *const json_keys[] = {
	"name", "phone", "email", "company", "industry", "region", "source", "title",
	"budget", "note", "created_at",
};
enum { C_NAME, C_PHONE, C_EMAIL, C_COMPANY, C_INDUSTRY, C_REGION, C_SOURCE, C_TITLE,
	C_BUDGET, C_NOTE, C_CREATED, NCOLS };

/* ---- growable text ---- */

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_grow(struct buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s) {
		fputs("gen: out of memory\n", stderr);
		exit(1);
	}
	b->s = s;
	b->cap = cap;
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

/* ---- output: plain, or converted to GB18030 row by row ---- */

struct out {
	FILE *f;
	iconv_t cd;   /* (iconv_t)-1 when writing UTF-8 */
	struct buf conv;
};

static void out_write(struct out *o, const char *s, size_t n)
{
	if (o->cd == (iconv_t)-1) {
		fwrite(s, 1, n, o->f);
		return;
	}
	/* Callers hand over whole rows, so a character is never split. */
	buf_reset(&o->conv);
	buf_grow(&o->conv, n * 2 + 16);
	char *in = (char *)s, *outp = o->conv.s;
	size_t inleft = n, outleft = o->conv.cap - 1;
	if (iconv(o->cd, &in, &inleft, &outp, &outleft) == (size_t)-1) {
		fprintf(stderr, "gen: cannot convert to GB18030: %s\n", strerror(errno));
		exit(1);
	}
	fwrite(o->conv.s, 1, (size_t)(outp - o->conv.s), o->f);
}

/* ---- dates (proleptic Gregorian, no time zone library involved) ---- */

static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* Minutes since 1970-01-01 00:00 local time (+08:00) as ISO 8601. */
static void fmt_iso(struct buf *b, long minutes)
{
	int y, m, d;
	civil_from_days(minutes / 1440, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02dT%02ld:%02ld:00+08:00", y, m, d,
		   (minutes % 1440) / 60, minutes % 60);
}

static void fmt_day(struct buf *b, long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02d", y, m, d);
}

/* ---- a person (one unique lead) ---- */

struct person {
	uint64_t p;            /* person number, 0-based; lead id = p + 1 */
	char name[32];
	int surname;
	int has_phone, landline;
	char digits[16];       /* normalised phone: 11 digits, or "0571-88886666" */
	const char *area;      /* landline area code */
	char email[80];        /* normalised (lower case) */
	int city, industry;
	char company[128];
	int region_big, source, title;
	long long budget;      /* yuan; 0 = none */
	long created;          /* minutes since the epoch, local */
};

/* Unique numbers for person p (phones, QQ numbers): multiplying by a
 * unit modulo m is a bijection, so no two people share one. */
static uint64_t unique8(uint64_t seed, uint64_t p)
{
	return (p * 73939133ULL + (seed % 100000000ULL) * 7ULL + 12345678ULL) % 100000000ULL;
}

static uint64_t unique9(uint64_t seed, uint64_t p)
{
	return (p * 282475249ULL + (seed % 900000000ULL) * 13ULL) % 900000000ULL + 100000000ULL;
}

static void base36(char *out, uint64_t v)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v && n < 15);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
	"152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
	"178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191",
	"198", "199",
};

static void person_make(uint64_t s, uint64_t p, struct person *x)
{
	memset(x, 0, sizeof(*x));
	x->p = p;
	x->surname = (int)pick(s, p, F_SURNAME, N(surnames));
	uint64_t glen = pick(s, p, F_GLEN, 100);
	if (glen < 8)
		snprintf(x->name, sizeof(x->name), "%s%s", surnames[x->surname],
			 given2[pick(s, p, F_G1, N(given2))]);
	else
		snprintf(x->name, sizeof(x->name), "%s%s%s", surnames[x->surname],
			 given[pick(s, p, F_G1, N(given))],
			 glen < 60 ? given[pick(s, p, F_G2, N(given))] : "");

	x->city = (int)pick(s, p, F_CITY, N(cities));
	uint64_t u = unique8(s, p);
	x->has_phone = !chance(s, p, F_HASPHONE, 40);
	x->landline = x->has_phone && chance(s, p, F_LANDLINE, 30);
	if (x->landline) {
		x->area = cities[x->city].area;
		/* "8" and 7 more digits: valid after 3- and 4-digit area codes. */
		snprintf(x->digits, sizeof(x->digits), "%s-8%07" PRIu64, x->area, u % UINT64_C(10000000));
	} else if (x->has_phone) {
		snprintf(x->digits, sizeof(x->digits), "%s%08" PRIu64,
			 mobile_prefixes[pick(s, p, F_PREFIX, N(mobile_prefixes))], u);
	}

	/* Everyone without a phone has an email, so every lead is reachable. */
	if (!x->has_phone || chance(s, p, F_HASEMAIL, 650)) {
		char code[16];
		uint64_t q = unique9(s, p);
		if (chance(s, p, F_EMAILSTYLE, 300)) {
			snprintf(x->email, sizeof(x->email), "%" PRIu64 "@qq.com", q);
		} else {
			base36(code, q);
			snprintf(x->email, sizeof(x->email), "%s.%s@%s", surname_py[x->surname],
				 code, domains[pick(s, p, F_DOMAIN, N(domains))]);
		}
	}

	x->industry = (int)pick(s, p, F_INDUSTRY, N(industries));
	const char *brand = brands[pick(s, p, F_BRAND, N(brands))];
	const char *suffix = suffixes[pick(s, p, F_SUFFIX, N(suffixes))];
	if (chance(s, p, F_CHINA, 40))
		snprintf(x->company, sizeof(x->company), "%s(中国)%s%s", brand,
			 industries[x->industry].word, suffix);
	else
		snprintf(x->company, sizeof(x->company), "%s%s%s%s", cities[x->city].name, brand,
			 industries[x->industry].word, suffix);

	x->region_big = chance(s, p, F_REGIONBIG, 200);
	x->source = (int)pick(s, p, F_SOURCE, N(sources));
	x->title = (int)pick(s, p, F_TITLE, N(titles));
	if (chance(s, p, F_HASBUDGET, 700))
		x->budget = (long long)(5 + pick(s, p, F_BUDGET, 4996)) * 1000;
	/* Created between 2024-01-01 and 2026-10-31, during office hours. */
	long day0 = days_from_civil(2024, 1, 1), span = days_from_civil(2026, 10, 31) - day0;
	x->created = (day0 + (long)pick(s, p, F_DAY, (uint64_t)span)) * 1440 +
		     8 * 60 + (long)pick(s, p, F_MIN, 11 * 60);
}

static const char *person_region(const struct person *x)
{
	return x->region_big ? cities[x->city].big : cities[x->city].province;
}

/* The phone as typed: format f of 8 (mobiles) or 3 (landlines). */
static void phone_typed(const struct person *x, int f, struct buf *b)
{
	const char *d = x->digits;
	if (x->landline) {
		const char *num = strchr(d, '-') + 1;
		if (f % 3 == 0)
			buf_puts(b, d);
		else if (f % 3 == 1)
			buf_printf(b, "%s %s", x->area, num);
		else
			buf_printf(b, "(%s)%s", x->area, num);
		return;
	}
	switch (f) {
	case 0: case 1: case 2: case 3: buf_puts(b, d); break;
	case 4: buf_printf(b, "%.3s-%.4s-%.4s", d, d + 3, d + 7); break;
	case 5: buf_printf(b, "%.3s %.4s %.4s", d, d + 3, d + 7); break;
	case 6: buf_printf(b, "+86 %.3s %.4s %.4s", d, d + 3, d + 7); break;
	case 7: buf_printf(b, "+86%s", d); break;
	case 8: buf_printf(b, "0086 %s", d); break;
	case 9: buf_printf(b, "(86)%s", d); break;
	default: buf_printf(b, "+86-%.3s-%.4s-%.4s", d, d + 3, d + 7); break;
	}
}
#define PHONE_FORMATS 11

static void budget_typed(uint64_t s, uint64_t r, long long v, struct buf *b)
{
	switch (pick(s, r, F_BUDGETFMT, 6)) {
	case 0: case 1: buf_printf(b, "%lld", v); break;
	case 2:
		if (v >= 1000000)
			buf_printf(b, "%lld,%03lld,%03lld", v / 1000000, v / 1000 % 1000, v % 1000);
		else
			buf_printf(b, "%lld,%03lld", v / 1000, v % 1000);
		break;
	case 3:
		if (v % 10000 == 0)
			buf_printf(b, "%lld万", v / 10000);
		else
			buf_printf(b, "%lld.%lld万", v / 10000, v % 10000 / 1000);
		break;
	case 4: buf_printf(b, "¥%lld", v); break;
	default: buf_printf(b, "%lld.00", v); break;
	}
}

/* Notes: a few fragments joined by commas or line breaks. */
static void note_typed(uint64_t s, uint64_t r, struct buf *b)
{
	static const char *const seps[] = { "，", ", ", "；", "\n", "\n" };
	int n = 1 + (int)pick(s, r, F_NFRAG, 3);
	for (int k = 0; k < n; k++) {
		if (k)
			buf_puts(b, seps[pick(s, r * 8 + (uint64_t)k, F_SEP, N(seps))]);
		buf_puts(b, fragments[pick(s, r * 8 + (uint64_t)k, F_FRAG, N(fragments))]);
	}
}

/* How row r writes its creation time: 0 with the time of day, 1-3 as a
 * date only (2026/3/1, 2026-03-01, 2026年3月1日). */
static int created_format(uint64_t s, uint64_t r)
{
	uint64_t v = pick(s, r, F_DATEFMT, 20);
	return v < 4 ? 1 : v < 6 ? 2 : v < 7 ? 3 : 0;
}

static void created_typed(uint64_t s, uint64_t r, long minutes, struct buf *b)
{
	int y, m, d;
	civil_from_days(minutes / 1440, &y, &m, &d);
	switch (created_format(s, r)) {
	case 1: buf_printf(b, "%d/%d/%d", y, m, d); break;
	case 2: buf_printf(b, "%04d-%02d-%02d", y, m, d); break;
	case 3: buf_printf(b, "%d年%d月%d日", y, m, d); break;
	default:
		buf_printf(b, "%04d-%02d-%02d %02ld:%02ld", y, m, d, minutes % 1440 / 60,
			   minutes % 60);
		break;
	}
}

/* ---- one spreadsheet row ---- */

struct row {
	struct buf col[NCOLS];
};

static void row_reset(struct row *w)
{
	for (int i = 0; i < NCOLS; i++)
		buf_reset(&w->col[i]);
}

static void upper_first(char *s)
{
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
}

/* Row r shows person x; dup says it is a repeat (other phone format, email
 * perhaps in capitals or missing, later date, another source and note). */
static void row_make(uint64_t s, uint64_t r, const struct person *x, int dup, struct row *w)
{
	row_reset(w);
	buf_puts(&w->col[C_NAME], x->name);
	if (x->has_phone) {
		int f = (int)pick(s, x->p, F_PHONEFMT, PHONE_FORMATS);
		if (dup)
			f = (f + 1 + (int)pick(s, r, F_DUPPHONEFMT, PHONE_FORMATS - 1)) %
			    PHONE_FORMATS;
		phone_typed(x, f, &w->col[C_PHONE]);
	}
	if (x->email[0] && (!dup || !x->has_phone || !chance(s, r, F_DUPEMAIL, 400))) {
		char e[80];
		snprintf(e, sizeof(e), "%s", x->email);
		if (dup)
			upper_first(e);
		buf_puts(&w->col[C_EMAIL], e);
	}
	buf_puts(&w->col[C_COMPANY], x->company);
	buf_puts(&w->col[C_INDUSTRY], industries[x->industry].name);
	buf_puts(&w->col[C_REGION], person_region(x));
	buf_puts(&w->col[C_SOURCE], sources[dup ? pick(s, r, F_SOURCE, N(sources))
					       : (uint64_t)x->source]);
	buf_puts(&w->col[C_TITLE], titles[x->title]);
	if (x->budget)
		budget_typed(s, r, x->budget, &w->col[C_BUDGET]);
	if (chance(s, r, F_HASNOTE, 550))
		note_typed(s, r, &w->col[C_NOTE]);
	long created = x->created;
	if (dup)
		created += 1440 * (1 + (long)pick(s, r, F_DUPLATER, 60));
	created_typed(s, r, created, &w->col[C_CREATED]);
}

static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			buf_puts(b, "\"");
		buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

static void json_string(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

static void sql_string(struct buf *b, const char *s)
{
	if (!*s) {
		buf_puts(b, "NULL");
		return;
	}
	buf_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'");
		buf_add(b, s, 1);
	}
	buf_puts(b, "'");
}

/* ---- options ---- */

enum mode { M_LEADS, M_DEALS, M_EVENTS, M_IDS, M_CASH, M_BANK };

struct opts {
	enum mode mode;
	uint64_t rows, seed, deals, moves, events, leads, ids, cash, bank, contracts;
	int bom, crlf, gb18030, jsonl, sql, stats;
	const char *output;
};

static void usage(void)
{
	fputs("usage: gen [--rows N] [--seed S] [--bom] [--crlf] [--gb18030] [--jsonl|--sql]\n"
	      "           [--stats] [-o FILE]\n"
	      "       gen --deals N [--moves M] [--seed S] [-o FILE]\n"
	      "       gen --events N [--leads L] [--seed S] [--sql] [-o FILE]\n"
	      "       gen --ids K --leads L [--seed S]\n"
	      "       gen --cash N [--seed S] [-o FILE]\n"
	      "       gen --bank K --contracts N [--seed S] [-o FILE]\n", stderr);
}

static int parse_count(const char *opt, const char *v, uint64_t *out)
{
	char *end;
	if (!v || !*v || *v == '-') {
		fprintf(stderr, "gen: %s needs a number\n", opt);
		return -1;
	}
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end) {
		fprintf(stderr, "gen: %s: '%s' is not a number\n", opt, v);
		return -1;
	}
	*out = n;
	return 0;
}

static int opts_parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rows = 1000;
	o->seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *num = NULL;
		if (!strcmp(a, "--rows")) num = &o->rows;
		else if (!strcmp(a, "--seed")) num = &o->seed;
		else if (!strcmp(a, "--deals")) { num = &o->deals; o->mode = M_DEALS; }
		else if (!strcmp(a, "--moves")) num = &o->moves;
		else if (!strcmp(a, "--events")) { num = &o->events; o->mode = M_EVENTS; }
		else if (!strcmp(a, "--leads")) num = &o->leads;
		else if (!strcmp(a, "--ids")) { num = &o->ids; o->mode = M_IDS; }
		else if (!strcmp(a, "--cash")) { num = &o->cash; o->mode = M_CASH; }
		else if (!strcmp(a, "--bank")) { num = &o->bank; o->mode = M_BANK; }
		else if (!strcmp(a, "--contracts")) num = &o->contracts;
		else if (!strcmp(a, "--bom")) o->bom = 1;
		else if (!strcmp(a, "--crlf")) o->crlf = 1;
		else if (!strcmp(a, "--gb18030")) o->gb18030 = 1;
		else if (!strcmp(a, "--jsonl")) o->jsonl = 1;
		else if (!strcmp(a, "--sql")) o->sql = 1;
		else if (!strcmp(a, "--stats")) o->stats = 1;
		else if (!strcmp(a, "-o")) {
			if (!v) {
				fputs("gen: -o needs a file name\n", stderr);
				return -1;
			}
			o->output = v;
			i++;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			exit(0);
		} else {
			fprintf(stderr, "gen: unknown option '%s'\n", a);
			usage();
			return -1;
		}
		if (num) {
			if (parse_count(a, v, num) != 0)
				return -1;
			i++;
		}
	}
	if (o->jsonl + o->sql > 1 || (o->bom && o->gb18030) ||
	    ((o->jsonl || o->sql) && (o->bom || o->crlf || o->gb18030))) {
		fputs("gen: --bom, --crlf and --gb18030 are for CSV; --bom is UTF-8 only; "
		      "--jsonl and --sql exclude each other\n", stderr);
		return -1;
	}
	if (o->mode == M_DEALS) {
		if (!o->moves)
			o->moves = o->deals * 5;
		if (o->moves < o->deals) {
			fputs("gen: --moves must be at least --deals (every deal enters a stage)\n",
			      stderr);
			return -1;
		}
	}
	if (o->mode == M_BANK && !o->contracts) {
		fputs("gen: --bank needs --contracts N (those of gen --cash N)\n", stderr);
		return -1;
	}
	if ((o->mode == M_EVENTS || o->mode == M_IDS) && !o->leads)
		o->leads = o->rows;
	if ((o->mode == M_EVENTS || o->mode == M_IDS) && !o->leads) {
		fputs("gen: --leads must be at least 1\n", stderr);
		return -1;
	}
	return 0;
}

/* ---- leads ---- */

static void emit_header(struct out *o, const struct opts *op, struct buf *line)
{
	buf_reset(line);
	if (op->bom)
		buf_puts(line, "\xEF\xBB\xBF");
	for (int i = 0; i < NCOLS; i++) {
		if (i)
			buf_puts(line, ",");
		buf_puts(line, csv_headers[i]);
	}
	buf_puts(line, op->crlf ? "\r\n" : "\n");
	out_write(o, line->s, line->len);
}

static void emit_csv(struct row *w, const struct opts *op, struct buf *line)
{
	for (int i = 0; i < NCOLS; i++) {
		if (i)
			buf_puts(line, ",");
		csv_field(line, w->col[i].s ? w->col[i].s : "");
	}
	buf_puts(line, op->crlf ? "\r\n" : "\n");
}

static void emit_jsonl(struct row *w, struct buf *line)
{
	int first = 1;
	buf_puts(line, "{");
	for (int i = 0; i < NCOLS; i++) {
		if (!w->col[i].len)
			continue;
		if (!first)
			buf_puts(line, ",");
		first = 0;
		buf_printf(line, "\"%s\":", json_keys[i]);
		json_string(line, w->col[i].s);
	}
	buf_puts(line, "}\n");
}

/* The lead as crm stores it once imported: normalised phone and email,
 * money in fen, ISO time. Rows are batched into multi-row INSERTs. */
static void emit_sql_lead(uint64_t s, uint64_t r, const struct person *x, struct buf *line,
			  int first)
{
	struct buf note = { 0 };
	if (chance(s, r, F_HASNOTE, 550))
		note_typed(s, r, &note);
	buf_puts(line, first ? "INSERT INTO lead(id,name,phone,email,company,title,industry,"
			       "region,source,budget,currency,status,note,created_at,"
			       "updated_at) VALUES\n(" : ",\n(");
	buf_printf(line, "%" PRIu64 ",", x->p + 1);
	sql_string(line, x->name);
	buf_puts(line, ",");
	sql_string(line, x->has_phone ? x->digits : "");
	buf_puts(line, ",");
	sql_string(line, x->email);
	buf_puts(line, ",");
	sql_string(line, x->company);
	buf_puts(line, ",");
	sql_string(line, titles[x->title]);
	buf_puts(line, ",");
	sql_string(line, industries[x->industry].name);
	buf_puts(line, ",");
	sql_string(line, person_region(x));
	buf_puts(line, ",");
	sql_string(line, sources[x->source]);
	if (x->budget)
		buf_printf(line, ",%lld,'CNY','new',", x->budget * 100);
	else
		buf_puts(line, ",NULL,NULL,'new',");
	sql_string(line, note.s ? note.s : "");
	/* A date-only cell means local midnight, as an import reads it. */
	long created = created_format(s, r) ? x->created / 1440 * 1440 : x->created;
	buf_puts(line, ",'");
	fmt_iso(line, created);
	buf_puts(line, "','");
	fmt_iso(line, created);
	buf_puts(line, "')");
	free(note.s);
}

#define SQL_BATCH 500

static int gen_leads(const struct opts *op, struct out *o)
{
	uint64_t s = op->seed, persons = 0, dups = 0, batch = 0;
	struct row w = { 0 };
	struct person x;
	struct buf line = { 0 };

	if (op->sql)
		out_write(o, "BEGIN;\n", 7);
	else if (!op->jsonl)
		emit_header(o, op, &line);
	for (uint64_t r = 0; r < op->rows; r++) {
		/* A duplicate repeats someone seen earlier in the file. */
		int dup = persons >= 20 && chance(s, r, F_DUP, 30);
		if (dup) {
			person_make(s, pick(s, r, F_DUPOF, persons), &x);
			dups++;
		} else {
			person_make(s, persons++, &x);
		}
		buf_reset(&line);
		if (op->sql) {
			if (dup)
				continue;
			emit_sql_lead(s, r, &x, &line, batch == 0);
			if (++batch == SQL_BATCH) {
				buf_puts(&line, ";\n");
				batch = 0;
			}
		} else {
			row_make(s, r, &x, dup, &w);
			if (op->jsonl)
				emit_jsonl(&w, &line);
			else
				emit_csv(&w, op, &line);
		}
		out_write(o, line.s, line.len);
	}
	if (op->sql) {
		const char *end = batch ? ";\nCOMMIT;\n" : "COMMIT;\n";
		out_write(o, end, strlen(end));
	}
	if (op->stats)
		fprintf(stderr, "rows=%" PRIu64 " persons=%" PRIu64 " duplicates=%" PRIu64 "\n",
			op->rows, persons, dups);
	for (int i = 0; i < NCOLS; i++)
		free(w.col[i].s);
	free(line.s);
	return 0;
}

/* ---- deals and stage histories ---- */

/* Moves for deal d: the average, the remainder spread over the first deals,
 * and a random +-delta between the two deals of a pair so the total stays
 * exactly M while single deals vary. */
static uint64_t deal_moves(const struct opts *op, uint64_t d)
{
	uint64_t avg = op->moves / op->deals, rem = op->moves % op->deals;
	uint64_t k = avg + (d < rem);
	uint64_t pair = d / 2;
	if (d + 1 == op->deals && op->deals % 2)
		return k;   /* the odd one out has no partner */
	uint64_t delta = pick(op->seed, pair, F_SPAN, avg);
	return d % 2 == 0 ? k + delta : k - delta;
}

/* The next open stage after stage cur: mostly forward, sometimes a skip
 * or a step back, so the funnel must cope with both. */
static int next_open(uint64_t r, int cur)
{
	uint64_t v = r % 100;
	if (v < 15 && cur > 0)
		return cur - 1;
	if (v < 25 && cur < OPEN_STAGES - 2)
		return cur + 2;
	if (cur < OPEN_STAGES - 1)
		return cur + 1;
	return cur - 1;
}

struct deal_out {
	struct buf deals, moves;
	int ndeals, nmoves;
};

static void flush_deals(struct deal_out *b, struct out *o, int force)
{
	if (b->ndeals && (force || b->ndeals >= SQL_BATCH)) {
		buf_puts(&b->deals, ";\n");
		out_write(o, b->deals.s, b->deals.len);
		buf_reset(&b->deals);
		b->ndeals = 0;
	}
	if (b->nmoves && (force || b->nmoves >= SQL_BATCH)) {
		buf_puts(&b->moves, ";\n");
		out_write(o, b->moves.s, b->moves.len);
		buf_reset(&b->moves);
		b->nmoves = 0;
	}
}

/* A stay with its deal's creation time, as crm writes one (schema 074). */
static void add_move(struct deal_out *b, uint64_t id, int from, int to, long at, long created,
		     const char *user, const char *reason)
{
	struct buf *m = &b->moves;
	buf_puts(m, b->nmoves++ ? ",\n(" : "INSERT INTO stage_history(deal_id,pipeline,"
					   "from_stage,to_stage,at,user,reason,deal_created_at) VALUES\n(");
	buf_printf(m, "%" PRIu64 ",'default',", id);
	if (from < 0)
		buf_puts(m, "NULL");
	else
		buf_printf(m, "'%s'", stages[from].key);
	buf_printf(m, ",'%s','", stages[to].key);
	fmt_iso(m, at);
	buf_printf(m, "','%s',", user);
	sql_string(m, reason ? reason : "");
	buf_puts(m, ",'");
	fmt_iso(m, created);
	buf_puts(m, "')");
}

static void gen_deal(const struct opts *op, uint64_t d, struct deal_out *b)
{
	uint64_t s = op->seed, id = d + 1, k = deal_moves(op, d);
	const char *owner = owners[pick(s, d, F_OWNER, N(owners))];
	struct person x;
	person_make(s, d, &x);
	/* Created 2024-06-01 .. 2026-06-30; moves 1-15 days apart, so even
	 * the longest history ends before November 2026. */
	long day0 = days_from_civil(2024, 6, 1);
	long span = days_from_civil(2026, 6, 30) - day0;
	long at = (day0 + (long)pick(s, d, F_DEALDAY, (uint64_t)span)) * 1440 + 9 * 60 +
		  (long)pick(s, d, F_MIN, 9 * 60);
	long created = at;
	const char *reason = NULL;
	int cur = 0;

	add_move(b, id, -1, 0, at, created, owner, NULL);
	for (uint64_t j = 1; j < k; j++) {
		int to;
		/* 1-15 days later, in office hours. */
		at = (at / 1440 + 1 + (long)pick(s, d * 64 + j, F_GAP, 15)) * 1440 + 9 * 60 +
		     (long)pick(s, d * 64 + j, F_JITTER, 9 * 60);
		if (j == k - 1 && k > 2 && chance(s, d, F_END, 500)) {
			to = chance(s, d, F_CLOSE, 600) ? WON : LOST;
			if (to == LOST)
				reason = lost_reasons[pick(s, d, F_REASON, N(lost_reasons))];
		} else {
			to = next_open(rnd(s, d * 64 + j, F_STEP), cur);
		}
		add_move(b, id, cur, to, at, created, owner, reason);
		cur = to;
	}

	/* The amount: 10,000 to 2,000,000 yuan, most deals small. */
	uint64_t a = pick(s, d, F_AMOUNT, 1000);
	long long amount = (long long)(10000 + a * a * 2) * 100;
	struct buf *q = &b->deals;
	buf_puts(q, b->ndeals++ ? ",\n(" : "INSERT INTO deal(id,name,amount,currency,pipeline,"
					   "stage,probability,expected_close,owner,source,"
					   "status,lost_reason,closed_at,stage_entered_at,"
					   "created_at,updated_at) VALUES\n(");
	buf_printf(q, "%" PRIu64 ",'%s-%s',%lld,'CNY','default','%s',%d,'", id, x.company,
		   products[pick(s, d, F_PRODUCT, N(products))], amount, stages[cur].key,
		   stages[cur].prob);
	if (cur >= WON)
		fmt_day(q, at / 1440);
	else
		fmt_day(q, at / 1440 + 30 + (long)pick(s, d, F_CLOSE, 170));
	buf_printf(q, "','%s','%s','%s',", owner, sources[x.source],
		   cur == WON ? "won" : cur == LOST ? "lost" : "open");
	sql_string(q, reason ? reason : "");
	buf_puts(q, ",");
	if (cur >= WON) {
		buf_puts(q, "'");
		fmt_iso(q, at);
		buf_puts(q, "'");
	} else {
		buf_puts(q, "NULL");
	}
	buf_puts(q, ",'");
	fmt_iso(q, at);
	buf_puts(q, "','");
	fmt_iso(q, created);
	buf_puts(q, "','");
	fmt_iso(q, at);
	buf_puts(q, "')");
}

static int gen_deals(const struct opts *op, struct out *o)
{
	struct deal_out b = { 0 };
	out_write(o, "BEGIN;\n", 7);
	for (uint64_t d = 0; d < op->deals; d++) {
		gen_deal(op, d, &b);
		flush_deals(&b, o, 0);
	}
	flush_deals(&b, o, 1);
	out_write(o, "COMMIT;\n", 8);
	free(b.deals.s);
	free(b.moves.s);
	return 0;
}

/* ---- behaviour events and ids ---- */

static int gen_events(const struct opts *op, struct out *o)
{
	uint64_t s = op->seed, batch = 0;
	struct buf line = { 0 };
	/* Events come in time order, as a web log would have them, spread
	 * over 2026-01-01 .. 2026-10-31. */
	long t0 = days_from_civil(2026, 1, 1) * 1440;
	long span = (days_from_civil(2026, 10, 31) - days_from_civil(2026, 1, 1)) * 1440;
	if (op->sql)
		out_write(o, "BEGIN;\n", 7);
	for (uint64_t i = 0; i < op->events; i++) {
		uint64_t lead = 1 + pick(s, i, F_LEAD, op->leads);
		const char *name = event_names[pick(s, i, F_EVENT, N(event_names))];
		long at = t0 + (long)((double)span * (double)i / (double)op->events);
		buf_reset(&line);
		if (op->sql) {
			buf_puts(&line, batch ? ",\n(" : "INSERT INTO event(lead_id,name,at,"
							 "created_at,updated_at) VALUES\n(");
			buf_printf(&line, "%" PRIu64 ",'%s','", lead, name);
			fmt_iso(&line, at);
			buf_puts(&line, "','");
			fmt_iso(&line, at);
			buf_puts(&line, "','");
			fmt_iso(&line, at);
			buf_puts(&line, "')");
			if (++batch == SQL_BATCH) {
				buf_puts(&line, ";\n");
				batch = 0;
			}
		} else {
			buf_printf(&line, "{\"lead\":%" PRIu64 ",\"event\":\"%s\",\"at\":\"", lead,
				   name);
			fmt_iso(&line, at);
			buf_puts(&line, "\"}\n");
		}
		out_write(o, line.s, line.len);
	}
	if (op->sql) {
		const char *end = batch ? ";\nCOMMIT;\n" : "COMMIT;\n";
		out_write(o, end, strlen(end));
	}
	free(line.s);
	return 0;
}

static int gen_ids(const struct opts *op, struct out *o)
{
	char line[32];
	for (uint64_t i = 0; i < op->ids; i++) {
		int n = snprintf(line, sizeof(line), "%" PRIu64 "\n",
				 1 + pick(op->seed, i, F_ID, op->leads));
		out_write(o, line, (size_t)n);
	}
	return 0;
}

/* ---- contracts, plans, payments ---- */

/* Contract c (0-based): its amount in fen, 10,000 to 2,000,000 yuan, and
 * the day it was signed, 2024-06-01 .. 2026-08-31. */
static long long contract_amount(uint64_t s, uint64_t c)
{
	uint64_t a = pick(s, c, F_AMOUNT, 1000);
	return (long long)(10000 + a * a * 2) * 100;
}

static long contract_day(uint64_t s, uint64_t c)
{
	long day0 = days_from_civil(2024, 6, 1);
	return day0 + (long)pick(s, c, F_SIGNED, (uint64_t)(days_from_civil(2026, 8, 31) - day0));
}

struct batch {
	struct buf b;
	int n;
	const char *head;
};

static void batch_row(struct batch *q, struct out *o)
{
	if (q->n >= SQL_BATCH) {
		buf_puts(&q->b, ";\n");
		out_write(o, q->b.s, q->b.len);
		buf_reset(&q->b);
		q->n = 0;
	}
	buf_puts(&q->b, q->n++ ? ",\n(" : q->head);
}

static void batch_end(struct batch *q, struct out *o)
{
	if (q->n) {
		buf_puts(&q->b, ";\n");
		out_write(o, q->b.s, q->b.len);
	}
	free(q->b.s);
}

static int gen_cash(const struct opts *op, struct out *o)
{
	uint64_t s = op->seed, naccounts = op->cash / 10 ? op->cash / 10 : 1, plan_id = 0, pay_id = 0;
	const char *ts = "'2026-09-01T09:00:00+08:00'";
	struct batch acc = { .head = "INSERT INTO account(id,name,owner,created_at,updated_at) VALUES\n(" };
	struct batch con = { .head = "INSERT INTO contract(id,number,name,account_id,amount,currency,start,\"end\","
				     "status,signed_at,owner,created_at,updated_at) VALUES\n(" };
	struct batch pl = { .head = "INSERT INTO plan(id,contract_id,installment,amount,currency,due,owner,"
				    "created_at,updated_at) VALUES\n(" };
	struct batch pay = { .head = "INSERT INTO payment(id,number,contract_id,amount,currency,date,method,owner,"
				     "created_at,updated_at) VALUES\n(" };
	struct batch al = { .head = "INSERT INTO payment_alloc(payment_id,plan_id,amount,date) VALUES\n(" };
	static const char *const methods[] = { "银行转账", "银行转账", "银行转账", "支票", "支付宝", "微信" };
	/* loaded with foreign keys off (sqlite3's default): the order of the
	 * batches does not matter */
	out_write(o, "BEGIN;\n", 7);
	for (uint64_t a = 0; a < naccounts; a++) {
		struct person x;
		person_make(s, a, &x);
		batch_row(&acc, o);
		buf_printf(&acc.b, "%" PRIu64 ",", a + 1);
		sql_string(&acc.b, x.company);
		buf_printf(&acc.b, ",'%s',%s,%s)", owners[pick(s, a, F_OWNER, N(owners))], ts, ts);
	}
	batch_end(&acc, o);
	for (uint64_t c = 0; c < op->cash; c++) {
		uint64_t id = c + 1, account = 1 + c % naccounts;
		long long amount = contract_amount(s, c);
		long day = contract_day(s, c);
		const char *owner = owners[pick(s, c, F_OWNER, N(owners))];
		batch_row(&con, o);
		buf_printf(&con.b, "%" PRIu64 ",'HT-2026-%06" PRIu64 "','%s',%" PRIu64 ",%lld,'CNY','", id, id,
			   products[pick(s, c, F_PRODUCT, N(products))], account, amount);
		fmt_day(&con.b, day);
		buf_puts(&con.b, "','");
		fmt_day(&con.b, day + 364);
		buf_puts(&con.b, "','signed','");
		fmt_day(&con.b, day);
		buf_printf(&con.b, "','%s',%s,%s)", owner, ts, ts);
		/* 30/40/30, due 30, 120 and 210 days after signing */
		long long part[3] = { (amount * 30 + 50) / 100, (amount * 40 + 50) / 100, 0 };
		part[2] = amount - part[0] - part[1];
		long due[3] = { day + 30, day + 120, day + 210 };
		long long open[3];
		uint64_t pid[3];
		for (int k = 0; k < 3; k++) {
			pid[k] = ++plan_id;
			open[k] = part[k];
			batch_row(&pl, o);
			buf_printf(&pl.b, "%" PRIu64 ",%" PRIu64 ",%d,%lld,'CNY','", pid[k], id, k + 1, part[k]);
			fmt_day(&pl.b, due[k]);
			buf_printf(&pl.b, "','%s',%s,%s)", owner, ts, ts);
		}
		/* 0% to 90% of it paid, in 5 payments, applied in due order */
		long long paid = amount * (long long)pick(s, c, F_PAID, 91) / 100, left = paid;
		for (int j = 0; j < 5; j++) {
			long long p = j < 4 ? paid / 5 : left;
			left -= p;
			long pday = day + 20 + (long)pick(s, c * 8 + (uint64_t)j, F_PAYDAY, 400);
			uint64_t payid = ++pay_id;
			batch_row(&pay, o);
			buf_printf(&pay.b, "%" PRIu64 ",'HK-G-%08" PRIu64 "',%" PRIu64 ",%lld,'CNY','", payid, payid, id,
				   p < 1 ? 1 : p);
			fmt_day(&pay.b, pday);
			buf_printf(&pay.b, "','%s','%s',%s,%s)", methods[pick(s, payid, F_METHOD, N(methods))], owner,
				   ts, ts);
			long long rest = p;
			for (int k = 0; k < 3 && rest > 0; k++) {
				long long take = rest < open[k] ? rest : open[k];
				if (take <= 0)
					continue;
				open[k] -= take;
				rest -= take;
				batch_row(&al, o);
				buf_printf(&al.b, "%" PRIu64 ",%" PRIu64 ",%lld,'", payid, pid[k], take);
				fmt_day(&al.b, pday);
				buf_puts(&al.b, "')");
			}
		}
	}
	batch_end(&con, o);
	batch_end(&pl, o);
	batch_end(&pay, o);
	batch_end(&al, o);
	out_write(o, "COMMIT;\n", 8);
	return 0;
}

/* A bank statement: payment r is on contract r mod N, for 1% of its
 * amount (so it fits what the contract has still to receive: gen --cash
 * leaves at least 10% of every contract unpaid, and K <= 10 N rows). */
static int gen_bank(const struct opts *op, struct out *o)
{
	uint64_t s = op->seed;
	struct buf line = { 0 };
	static const char *const methods[] = { "银行转账", "银行转账", "支票", "电汇" };
	const char *head = "合同编号,回款金额,回款日期,付款方式,流水号,付款方\n";
	out_write(o, head, strlen(head));
	long day0 = days_from_civil(2026, 9, 1);
	for (uint64_t r = 0; r < op->bank; r++) {
		uint64_t c = r % op->contracts;
		long long amount = contract_amount(s, c) / 100;
		buf_reset(&line);
		buf_printf(&line, "HT-2026-%06" PRIu64 ",%lld.%02lld,", c + 1, amount / 100, amount % 100);
		fmt_day(&line, day0 + (long)(r * 60 / (op->bank ? op->bank : 1)));
		buf_printf(&line, ",%s,B%010" PRIu64 ",", methods[pick(s, r, F_METHOD, N(methods))], r + 1);
		struct person x;
		person_make(s, c % (op->contracts / 10 ? op->contracts / 10 : 1), &x);
		csv_field(&line, x.company);
		buf_puts(&line, "\n");
		out_write(o, line.s, line.len);
	}
	free(line.s);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts op;
	struct out o = { stdout, (iconv_t)-1, { 0 } };
	int rc;

	if (opts_parse(argc, argv, &op) != 0)
		return 2;
	if (op.output && !(o.f = fopen(op.output, "wb"))) {
		fprintf(stderr, "gen: cannot write '%s': %s\n", op.output, strerror(errno));
		return 1;
	}
	setvbuf(o.f, NULL, _IOFBF, 1 << 20);
	if (op.gb18030 && (o.cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1) {
		fprintf(stderr, "gen: no GB18030 converter: %s\n", strerror(errno));
		return 1;
	}
	switch (op.mode) {
	case M_DEALS: rc = gen_deals(&op, &o); break;
	case M_EVENTS: rc = gen_events(&op, &o); break;
	case M_IDS: rc = gen_ids(&op, &o); break;
	case M_CASH: rc = gen_cash(&op, &o); break;
	case M_BANK: rc = gen_bank(&op, &o); break;
	default: rc = gen_leads(&op, &o); break;
	}
	if (o.cd != (iconv_t)-1)
		iconv_close(o.cd);
	free(o.conv.s);
	if (fflush(o.f) != 0 || ferror(o.f) || (o.f != stdout && fclose(o.f) != 0)) {
		fprintf(stderr, "gen: write error: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}
