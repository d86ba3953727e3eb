/**
 * While a modal dialog (Modal, Drawer) is open, marks the app root `aria-hidden`, so assistive
 * technology, and anything else that reads the accessibility tree, finds only the dialog, as the
 * WAI-ARIA dialog pattern asks. Mantine renders dialogs in portals beside the root, so they stay
 * reachable. Returns a function that stops watching.
 */
export function hideAppBehindModals(root: HTMLElement): () => void {
  const sync = () => {
    const modalOpen = Array.from(document.querySelectorAll('[aria-modal="true"]')).some((dialog) => !root.contains(dialog));
    if (modalOpen) root.setAttribute('aria-hidden', 'true');
    else root.removeAttribute('aria-hidden');
  };
  const observer = new MutationObserver((records) => {
    // Re-renders inside the app cannot open or close a portal dialog: skip the lookup for them.
    if (records.every((record) => root.contains(record.target))) return;
    sync();
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-modal'] });
  return () => {
    observer.disconnect();
    root.removeAttribute('aria-hidden');
  };
}
