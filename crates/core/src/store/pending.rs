//! A commit handed to a store and not answered yet ([`Pending`]), and the half the store
//! answers it with ([`Answer`]).
//!
//! A thread that may block waits for it ([`Pending::wait`]); an async task awaits it (it is a
//! [`Future`]), so an act whose reads are short can run on the task's own thread and give the
//! thread back while its commit is written (see [`super::Store::submit_at`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use custodian_ledger::LeafIndex;
use futures_channel::oneshot;

use super::StoreError;

/// What a commit comes to: its entries' ledger indexes, or why it failed.
pub type Committed = Result<Vec<LeafIndex>, StoreError>;

/// A commit not answered yet. Dropping it does not undo the commit; only its answer is lost.
#[must_use = "a commit's answer says whether it happened"]
#[derive(Debug)]
pub struct Pending(State);

#[derive(Debug)]
enum State {
    Ready(Option<Committed>),
    Waiting(oneshot::Receiver<Committed>),
}

/// What runs when a commit is answered, before its waiter hears: whether or not anyone still
/// waits.
type Hook = Box<dyn FnOnce(&Committed) + Send>;

/// The store's half of a [`Pending`]: answered once. Dropped unanswered, the commit's waiter
/// is told the writer stopped (and its hook does not run).
pub struct Answer {
    tx: oneshot::Sender<Committed>,
    hook: Option<Hook>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer").finish_non_exhaustive()
    }
}

/// A new commit's two halves.
pub fn pending() -> (Answer, Pending) {
    let (tx, rx) = oneshot::channel();
    (Answer { tx, hook: None }, Pending(State::Waiting(rx)))
}

impl Answer {
    /// Runs `f` with the answer when the commit is answered, even if its waiter has gone (what
    /// must be counted for every commit, awaited or not).
    pub fn on_answer(mut self, f: impl FnOnce(&Committed) + Send + 'static) -> Answer {
        self.hook = Some(Box::new(f));
        self
    }

    /// Answers the commit (its waiter, if any is left).
    pub fn send(self, r: Committed) {
        if let Some(hook) = self.hook {
            hook(&r);
        }
        let _ = self.tx.send(r);
    }
}

impl Pending {
    /// A commit already answered (a store that commits on the caller's thread).
    pub fn ready(r: Committed) -> Pending {
        Pending(State::Ready(Some(r)))
    }

    /// Blocks the thread until the commit is answered.
    pub fn wait(mut self) -> Committed {
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(r) = Pin::new(&mut self).poll(&mut cx) {
                return r;
            }
            // Woken by the answer (or spuriously: polled again).
            std::thread::park();
        }
    }
}

/// What a commit is told when its answer was dropped unsent: the writer took it and stopped
/// (it may have been committed first).
pub const UNANSWERED: &str =
    "the writer stopped before answering: whether the commit took effect is unknown";

impl Future for Pending {
    type Output = Committed;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Committed> {
        match &mut self.get_mut().0 {
            State::Ready(r) => Poll::Ready(r.take().unwrap_or_else(|| {
                Err(StoreError::Backend("the commit's answer was taken".into()))
            })),
            State::Waiting(rx) => Pin::new(rx)
                .poll(cx)
                .map(|r| r.unwrap_or_else(|_| Err(StoreError::OutcomeUnknown(UNANSWERED.into())))),
        }
    }
}

/// Wakes a thread parked in [`Pending::wait`].
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_thread_gets_the_answer_sent_from_another() {
        let (answer, p) = pending();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            answer.send(Ok(vec![LeafIndex::new(7)]));
        });
        assert_eq!(p.wait().ok(), Some(vec![LeafIndex::new(7)]));
        t.join().ok();
    }

    #[test]
    fn an_answer_dropped_unsent_is_an_unknown_outcome() {
        let (answer, p) = pending();
        drop(answer);
        let e = p.wait().err();
        assert!(
            matches!(&e, Some(StoreError::OutcomeUnknown(m)) if m.contains("the writer stopped")),
            "{e:?}"
        );
    }

    #[test]
    fn the_hook_runs_with_the_answer_even_when_nobody_waits() {
        let seen = Arc::new(std::sync::Mutex::new(None));
        let (answer, p) = pending();
        let answer = answer.on_answer({
            let seen = Arc::clone(&seen);
            move |r| *seen.lock().unwrap() = Some(r.is_ok())
        });
        drop(p);
        answer.send(Ok(vec![]));
        assert_eq!(*seen.lock().unwrap(), Some(true));
    }

    #[test]
    fn a_ready_commit_answers_at_once() {
        let r = Pending::ready(Err(StoreError::Stale)).wait();
        assert!(matches!(r, Err(StoreError::Stale)));
    }
}
