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
