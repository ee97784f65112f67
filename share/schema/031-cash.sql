-- 031-cash: the cash layer (CLI.md 8.2): products, quotes and their lines,
-- contracts, orders, payment plans (回款计划), payments (回款) and what they
-- were applied to, invoices (发票). Money is INTEGER minor units in the
-- record's currency; percentages (discount, tax_rate) are NUMERIC percent;
-- a quote line's qty has up to 3 decimals. Amounts that follow from others
-- (a quote's totals, a contract's received, a plan's status) are computed
-- when read, not stored. Numbers (Q-2026-0001, HT-, SO-, FP-, HK-) are
-- unique among live records.

CREATE TABLE product (
	id INTEGER PRIMARY KEY,
	sku TEXT,
	name TEXT NOT NULL,
	category TEXT,
	unit TEXT,
	price INTEGER NOT NULL,
	currency TEXT,
	tax_rate NUMERIC,
	status TEXT NOT NULL DEFAULT 'active',
	description TEXT,
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX product_sku ON product(sku) WHERE deleted_at IS NULL;
CREATE INDEX product_name ON product(name);

CREATE TABLE quote (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL,
	deal_id INTEGER NOT NULL REFERENCES deal(id),
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
	version INTEGER NOT NULL DEFAULT 1,
	revision_of INTEGER REFERENCES quote(id) ON DELETE SET NULL,
	status TEXT NOT NULL DEFAULT 'draft',
	valid_until TEXT,
	discount NUMERIC,
	currency TEXT,
	tax_included INTEGER NOT NULL DEFAULT 1,
	owner TEXT,
	sent_at TEXT,
	accepted_at TEXT,
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX quote_number ON quote(number) WHERE deleted_at IS NULL;
CREATE INDEX quote_deal ON quote(deal_id);
CREATE INDEX quote_status ON quote(status, valid_until);

CREATE TABLE quote_line (
	id INTEGER PRIMARY KEY,
	quote_id INTEGER NOT NULL REFERENCES quote(id) ON DELETE CASCADE,
	line_no INTEGER NOT NULL,
	product_id INTEGER REFERENCES product(id) ON DELETE SET NULL,
	sku TEXT,
	name TEXT NOT NULL,
	unit TEXT,
	qty NUMERIC NOT NULL DEFAULT 1,
	price INTEGER NOT NULL,
	discount NUMERIC,
	tax_rate NUMERIC,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX quote_line_quote ON quote_line(quote_id, line_no);
CREATE INDEX quote_line_product ON quote_line(product_id);

CREATE TABLE contract (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL,
	name TEXT,
	deal_id INTEGER REFERENCES deal(id) ON DELETE SET NULL,
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	quote_id INTEGER REFERENCES quote(id) ON DELETE SET NULL,
	amount INTEGER NOT NULL,
	currency TEXT,
	start TEXT NOT NULL,
	"end" TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft',
	submitted_at TEXT,
	signed_at TEXT,
	terminated_at TEXT,
	terminate_reason TEXT,
	owner TEXT,
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX contract_number ON contract(number) WHERE deleted_at IS NULL;
CREATE INDEX contract_deal ON contract(deal_id);
CREATE INDEX contract_account ON contract(account_id);
CREATE INDEX contract_quote ON contract(quote_id);
CREATE INDEX contract_status ON contract(status, "end");
CREATE INDEX contract_signed ON contract(signed_at) WHERE status = 'signed';

-- "order" is a keyword: quoted everywhere
CREATE TABLE "order" (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL,
	contract_id INTEGER NOT NULL REFERENCES contract(id),
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	status TEXT NOT NULL DEFAULT 'pending',
	amount INTEGER,
	currency TEXT,
	lines TEXT,
	delivered_at TEXT,
	owner TEXT,
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX order_number ON "order"(number) WHERE deleted_at IS NULL;
CREATE INDEX order_contract ON "order"(contract_id);

CREATE TABLE plan (
	id INTEGER PRIMARY KEY,
	contract_id INTEGER NOT NULL REFERENCES contract(id),
	installment INTEGER NOT NULL,
	amount INTEGER NOT NULL,
	currency TEXT,
	due TEXT NOT NULL,
	owner TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX plan_contract ON plan(contract_id, due, installment);
CREATE INDEX plan_due ON plan(due);

CREATE TABLE payment (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL,
	contract_id INTEGER NOT NULL REFERENCES contract(id),
	installment INTEGER,
	plan_id INTEGER REFERENCES plan(id) ON DELETE SET NULL,
	amount INTEGER NOT NULL,
	currency TEXT,
	date TEXT NOT NULL,
	method TEXT,
	reference TEXT,
	payer TEXT,
	forced INTEGER,
	owner TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX payment_number ON payment(number) WHERE deleted_at IS NULL;
-- what a contract has received: summed from the index alone
CREATE INDEX payment_contract ON payment(contract_id, deleted_at, amount);
CREATE INDEX payment_date ON payment(date);

-- What a live payment was applied to: a plan and how much of it, with the
-- payment's date (receivables as of a day). Removing the payment removes
-- its rows; restoring it applies it again.
CREATE TABLE payment_alloc (
	payment_id INTEGER NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
	plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	amount INTEGER NOT NULL,
	date TEXT NOT NULL,
	PRIMARY KEY (payment_id, plan_id)
) WITHOUT ROWID;
CREATE INDEX payment_alloc_plan ON payment_alloc(plan_id, date, amount);

CREATE TABLE invoice (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL,
	contract_id INTEGER NOT NULL REFERENCES contract(id),
	amount INTEGER NOT NULL,
	currency TEXT,
	kind TEXT NOT NULL DEFAULT '普通发票',
	title TEXT,
	tax_number TEXT,
	status TEXT NOT NULL DEFAULT 'draft',
	issued_at TEXT,
	voided_at TEXT,
	void_reason TEXT,
	owner TEXT,
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX invoice_number ON invoice(number) WHERE deleted_at IS NULL;
CREATE INDEX invoice_contract ON invoice(contract_id, status);

-- The clock's events fired (plan.due, plan.overdue, quote.expired,
-- contract.expiring): each once per record.
CREATE TABLE cash_fired (
	event TEXT NOT NULL,
	entity TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (event, entity)
) WITHOUT ROWID;

-- A renewal deal names the contract it renews (crm contract renew).
ALTER TABLE deal ADD COLUMN renewal_of INTEGER REFERENCES contract(id) ON DELETE SET NULL;
CREATE INDEX deal_renewal ON deal(renewal_of) WHERE renewal_of IS NOT NULL;
