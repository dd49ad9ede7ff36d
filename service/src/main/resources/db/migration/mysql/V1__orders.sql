-- Orders in MySQL 8.0 (Aurora MySQL), the same columns as the PostgreSQL schema
-- (db/migration/postgresql/V1__orders.sql). order_id is the UUID's text form; created_at and
-- updated_at are UTC (written with UTC_TIMESTAMP(6), whatever the session time zone). region and
-- epoch record which writer accepted the order (RPO ledger after a failover).
create table orders (
  seq             bigint        not null auto_increment,
  order_id        char(36)      not null,
  client_order_id varchar(64)   not null,
  account_id      varchar(64)   not null,
  symbol          varchar(12)   not null,
  side            varchar(4)    not null,
  order_type      varchar(6)    not null,
  quantity        bigint        not null,
  limit_price     decimal(18, 4),
  status          varchar(16)   not null,
  region          varchar(32)   not null,
  epoch           bigint        not null,
  request_hash    char(64)      not null,
  created_at      datetime(6)   not null,
  updated_at      datetime(6)   not null,
  cancel_region   varchar(32),
  cancel_epoch    bigint,
  primary key (order_id),
  unique key orders_seq_uq (seq),
  -- idempotency: one order per clientOrderId within an account
  unique key orders_client_order_id_uq (account_id, client_order_id),
  -- paging an account's orders, newest first
  key orders_account_seq_idx (account_id, seq),
  constraint orders_side_ck check (side in ('BUY', 'SELL')),
  constraint orders_type_ck check (order_type in ('LIMIT', 'MARKET')),
  constraint orders_quantity_ck check (quantity > 0 and quantity <= 1000000),
  constraint orders_price_ck check (limit_price > 0),
  constraint orders_status_ck check (status in ('NEW', 'CANCELLED')),
  constraint orders_epoch_ck check (epoch >= 0),
  constraint orders_limit_price_by_type check (
    (order_type = 'LIMIT' and limit_price is not null) or
    (order_type = 'MARKET' and limit_price is null))
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;
