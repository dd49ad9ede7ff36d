package io.tradingdr.service.fence;

import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.service.config.ServiceConfig;
import java.time.Clock;

/**
 * Service-provider interface for the lease-based write fence on the control store. When {@code
 * TDR_CONTROL_TABLE} is set, the service loads the first implementation listed in {@code
 * META-INF/services/io.tradingdr.service.fence.WriteFenceProvider} (java.util.ServiceLoader) and
 * uses its fence instead of {@link ConfiguredWriteFence}. The control-store adapter module supplies
 * it, so the service needs no compile-time dependency on that adapter.
 */
public interface WriteFenceProvider {

  /** Builds the fence for {@code config.region()} from {@code config.controlTable()} etc. */
  WriteFence create(ServiceConfig config, Clock clock);
}
