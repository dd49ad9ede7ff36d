package io.tradingdr.core.fence;

/**
 * The check that sits in front of every order write in a region. Implementations must be cheap
 * (called on every request) and must never issue a permit that outlives the region's right to
 * write.
 */
public interface WriteFence {

  /**
   * Returns a permit to acknowledge one write, or throws {@link WriteRefusedException} whose
   * message names why this region may not write now. Never blocks on the network.
   */
  WritePermit admit();
}
