//! A one-shot, first-wins result shared by the flow's event sources (message, timer, abort): whichever
//! comes first settles the flow; the rest find it settled and do nothing. That is the exactly-once rule.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

struct State<T> {
    value: Option<T>,
    settled: bool,
    waker: Option<Waker>,
}

/// The sending side; cloned into every event source.
pub struct Settle<T>(Rc<RefCell<State<T>>>);

/// The receiving side: a future of the first value sent.
pub struct Settled<T>(Rc<RefCell<State<T>>>);

/// A new one-shot channel.
pub fn channel<T>() -> (Settle<T>, Settled<T>) {
    let state = Rc::new(RefCell::new(State { value: None, settled: false, waker: None }));
    (Settle(state.clone()), Settled(state))
}

impl<T> Clone for Settle<T> {
    fn clone(&self) -> Self {
        Settle(self.0.clone())
    }
}

impl<T> Settle<T> {
    /// Settles with `value` unless already settled; returns whether this call settled it.
    pub fn settle(&self, value: T) -> bool {
        let waker = {
            let Ok(mut state) = self.0.try_borrow_mut() else { return false };
            if state.settled {
                return false;
            }
            state.settled = true;
            state.value = Some(value);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }
}

impl<T> Future for Settled<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.0.borrow_mut();
        match state.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
