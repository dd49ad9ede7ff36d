/**
 * Service-provider interfaces through which deployments plug into the operator tools: a {@link
 * io.tradingdr.core.spi.DrBackend} per target ({@code local}, {@code aws}) and {@link
 * io.tradingdr.core.spi.DrctlExtension}s that add drctl subcommands. Both are discovered with
 * {@link java.util.ServiceLoader}. They live in core so that adapter modules (which must not depend
 * on the CLI) can implement them, and the CLI depends on the adapters at run time only.
 */
package io.tradingdr.core.spi;
