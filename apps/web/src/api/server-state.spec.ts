import { clearServerState, loadServerState } from './server-state';

describe('server-state cache', () => {
  it('has nothing to clear before a page loads it', async () => {
    await expect(clearServerState()).resolves.toBeUndefined();
  });

  it('is one cache, emptied by clearServerState (sign-out)', async () => {
    const first = await loadServerState();
    expect(await loadServerState()).toBe(first);
    const { queryClient } = first;
    queryClient.setQueryData(['cases', 'list'], [{ code: 'C-1' }]);
    queryClient.setQueryData(['account', 'sessions'], [{ id: 's1' }]);
    expect(queryClient.getQueryCache().getAll()).toHaveLength(2);

    await clearServerState();

    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);
    expect(queryClient.getQueryData(['cases', 'list'])).toBeUndefined();
    expect(queryClient.getMutationCache().getAll()).toHaveLength(0);
  });
});
