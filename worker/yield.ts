/** How the session yields to its event loop between slices of work. */

/**
 * Yields to the event loop. In a browser worker, a message round trip: unlike nested
 * setTimeout(0), it is not clamped to 4 ms, and each message is its own task. Under Node (tests),
 * setImmediate: Node drains a port's messages in one go, which would starve other ports.
 */
export function defaultYield(): (fn: () => void) => void {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (immediate) return (fn) => void immediate(fn);
  return messageChannelYield();
}

function messageChannelYield(): (fn: () => void) => void {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}
