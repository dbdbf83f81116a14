//! Waiting on the calling thread for work done on the store's runtime.

use std::future::Future;
use std::sync::Arc;

/// Waits for `f` on the calling thread, which sleeps until it is woken (for futures whose work
/// happens on the store's runtime: a writer's answer, a gathered read). Any thread may call
/// it; a Tokio worker that does is blocked meanwhile, as by any synchronous store call.
pub(super) fn block_on<F: Future>(f: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(out) = f.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

/// The runtime's worker threads: half the machine's cores, from one to four. The runtime
/// only drives the connections (TLS, the protocol) and the writer's, the flusher's and the
/// gathered reads' tasks, on a machine whose cores the callers' threads — and often the
/// PostgreSQL server — share: each further worker adds hand-overs of tasks between threads
/// (a wake-up each) more than it adds work done. On 2 cores, one worker instead of two raised
/// 64-caller collects by 11–18% (BENCHMARKS.md).
pub(super) fn runtime_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).clamp(1, 4))
}
