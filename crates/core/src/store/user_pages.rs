//! A whole list of users as it is read: pages in id order through a bounded channel, so a list
//! of any size holds a few pages in memory at a time, never the tenant.

use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::error::CoreResult;
use crate::model::User;

/// Pages a whole list may have read ahead of its writer: what one list holds in memory, with
/// the page being written.
pub const PAGES_AHEAD: usize = 2;

/// The sending end, for the store's reader: each page, or the error that ends the list. A
/// send fails once the list is dropped (its client went away), which tells the reader to stop.
pub type PageSender = mpsc::Sender<CoreResult<Vec<User>>>;

/// Every user of a list, a page at a time, by id.
#[derive(Debug)]
pub struct UserPages {
    first: Option<Vec<User>>,
    rest: Option<mpsc::Receiver<CoreResult<Vec<User>>>>,
    /// The full-list slot this list holds until its last page is written or it is dropped.
    slot: Option<OwnedSemaphorePermit>,
}

impl UserPages {
    /// A channel of [`PAGES_AHEAD`] pages: the reader's end and the list's.
    pub fn channel() -> (PageSender, Self) {
        let (tx, rx) = mpsc::channel(PAGES_AHEAD);
        (
            tx,
            Self {
                first: None,
                rest: Some(rx),
                slot: None,
            },
        )
    }

    /// The list of nothing (a filter that cannot match).
    pub fn empty() -> Self {
        Self {
            first: None,
            rest: None,
            slot: None,
        }
    }

    /// Waits for the first page, so that a failure before any user is read (the database is
    /// down) is an error of the request rather than a broken answer.
    pub(crate) async fn started(mut self, slot: OwnedSemaphorePermit) -> CoreResult<Self> {
        self.slot = Some(slot);
        match self.receive().await {
            Some(Ok(page)) => self.first = Some(page),
            Some(Err(e)) => return Err(e),
            None => self.rest = None,
        }
        Ok(self)
    }

    async fn receive(&mut self) -> Option<CoreResult<Vec<User>>> {
        match &mut self.rest {
            Some(rx) => rx.recv().await,
            None => None,
        }
    }

    /// The next page; `None` after the last (and the list's slot is free again).
    pub async fn next_page(&mut self) -> Option<CoreResult<Vec<User>>> {
        if let Some(page) = self.first.take() {
            return Some(Ok(page));
        }
        let next = self.receive().await;
        if next.is_none() {
            self.rest = None;
            self.slot = None;
        }
        next
    }
}
