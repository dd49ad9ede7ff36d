package io.tradingdr.core.port;

/**
 * Port: tells people what the orchestrator did (SNS in both regions in AWS; log, file and webhook
 * locally).
 *
 * <p>Best effort and not idempotent (a retry may deliver twice). Returns normally when at least one
 * channel took the message; throws {@link UnreachableException} when none did. Callers never let a
 * notification failure stop a failover.
 */
public interface Notifier {

  void notify(Notification notification);
}
