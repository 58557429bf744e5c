/**
 * A dependency loaded on first use and kept: threads and commands that never need it never pay for
 * it. A load that failed is tried again on the next call (the package may have been installed since).
 */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };
}
