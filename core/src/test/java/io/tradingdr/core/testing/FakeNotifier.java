package io.tradingdr.core.testing;

import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.Notifier;
import io.tradingdr.core.port.UnreachableException;
import java.util.ArrayList;
import java.util.List;

/** Keeps the notifications; can fail like a notifier whose every channel is down. */
public final class FakeNotifier implements Notifier {

  private final List<Notification> sent = new ArrayList<>();
  private boolean failing;

  @Override
  public synchronized void notify(Notification notification) {
    if (failing) {
      throw new UnreachableException("no notification channel answered");
    }
    sent.add(notification);
  }

  public synchronized void failing(boolean value) {
    failing = value;
  }

  public synchronized List<Notification> sent() {
    return List.copyOf(sent);
  }
}
