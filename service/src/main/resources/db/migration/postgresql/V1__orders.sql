-- Orders, one row per acknowledged order. region and epoch record which writer accepted it, so
-- that after a failover orders from an old epoch can be told apart (RPO ledger).
create table orders (
  seq             bigint generated always as identity unique,
  order_id        uuid primary key,
  client_order_id varchar(64) not null,
  account_id      varchar(64) not null,
  symbol          varchar(12) not null,
  side            varchar(4)  not null check (side in ('BUY', 'SELL')),
  order_type      varchar(6)  not null check (order_type in ('LIMIT', 'MARKET')),
  quantity        bigint      not null check (quantity > 0 and quantity <= 1000000),
  limit_price     numeric(18, 4) check (limit_price > 0),
  status          varchar(16) not null check (status in ('NEW', 'CANCELLED')),
  region          varchar(32) not null,
  epoch           bigint      not null check (epoch >= 0),
  request_hash    char(64)    not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  cancel_region   varchar(32),
  cancel_epoch    bigint,
  -- idempotency: one order per clientOrderId within an account
  constraint orders_client_order_id_uq unique (account_id, client_order_id),
  constraint orders_limit_price_by_type check (
    (order_type = 'LIMIT' and limit_price is not null) or
    (order_type = 'MARKET' and limit_price is null))
);

-- paging an account's orders, newest first
create index orders_account_seq_idx on orders (account_id, seq desc);
