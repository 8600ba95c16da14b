// fake-kubelet.mjs: the control-plane benches' stand-in for a kubelet (no process started).

/**
 * fakeKubelet ends every new Pod at once with its containers exited 0, each with termination
 * message `message`, as a kubelet's final status write would. Returns the watch (stop() it).
 */
export function fakeKubelet(store, message = '[]') {
  return store.watch({ kind: 'Pod' }, (e) => {
    if (e.type !== 'ADDED') return;
    const pod = e.object;
    const t = new Date().toISOString();
    const terminated = (c) => ({
      name: c.name,
      ready: false,
      restartCount: 0,
      image: c.image,
      imageID: c.image,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, message } },
    });
    void store.updateStatus({
      ...pod,
      status: { phase: 'Succeeded', startTime: t, initContainerStatuses: (pod.spec.initContainers ?? []).map(terminated), containerStatuses: pod.spec.containers.map(terminated) },
    });
  });
}
