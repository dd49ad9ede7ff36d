package io.tradingdr.core.spi;

/**
 * Adds a subcommand to drctl (e.g. {@code drctl local ...}, {@code drctl drill}). Registered in
 * {@code META-INF/services/io.tradingdr.core.spi.DrctlExtension}.
 *
 * <p>{@link #command} returns a picocli command object: an instance of a class annotated with
 * {@code @picocli.CommandLine.Command} (implementing {@code Callable<Integer>} for an exit code),
 * or a {@code picocli.CommandLine}. Its exit codes should follow drctl's (0 ok, 1 refused or
 * failed, 2 bad usage, 3 environment unreachable, 4 aborted at the prompt).
 */
public interface DrctlExtension {

  /** The subcommand's name. Must not clash with a built-in command. */
  String name();

  Object command(DrctlContext context);
}
