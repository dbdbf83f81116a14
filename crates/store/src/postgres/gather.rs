//! Point reads of a subject with its consents — one for every collect, detokenize and consent
//! act — that arrive while one is under way go to PostgreSQL together, as one statement on a
//! shared connection (`rows::subjects_and_consents`), instead of a statement each. Each read
//! still sees every commit made before it was asked for: the statement that answers it starts
//! after it arrived. A read that takes over the shared reads' limit has its connection replaced
//! and fails, as a shared read does (`Readers::with`).

use super::shared::Readers;
use super::*;

/// The most reads one statement answers; more wait for the next.
const MAX_GATHERED: usize = 512;

type Answer = Result<Option<SubjectWithConsents>, StoreError>;

/// A read waiting to be gathered.
pub(super) struct Asked {
    tenant: TenantId,
    subject: SubjectId,
    reply: oneshot::Sender<Answer>,
}

/// Hands reads to the gathering task.
pub(super) struct Gather {
    tx: mpsc::UnboundedSender<Asked>,
}

impl Gather {
    /// Starts the gathering task on `handle`.
    pub(super) fn start(
        handle: &tokio::runtime::Handle,
        pool: Pool,
        readers: Arc<Readers>,
    ) -> Gather {
        let (tx, rx) = mpsc::unbounded_channel();
        handle.spawn(gather_loop(pool, readers, rx));
        Gather { tx }
    }

    /// The subject with its consents, read together with whatever other reads are waiting.
    pub(super) fn read(&self, tenant: &TenantId, subject: &SubjectId) -> Answer {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Asked {
                tenant: tenant.clone(),
                subject: subject.clone(),
                reply,
            })
            .map_err(|_| StoreError::Backend("the PostgreSQL runtime has stopped".into()))?;
        block_on(answer)
            .map_err(|_| StoreError::Backend("the PostgreSQL runtime has stopped".into()))?
    }
}

async fn gather_loop(pool: Pool, readers: Arc<Readers>, mut rx: mpsc::UnboundedReceiver<Asked>) {
    let mut asked = Vec::new();
    while let Some(first) = rx.recv().await {
        asked.push(first);
        while asked.len() < MAX_GATHERED {
            match rx.try_recv() {
                Ok(a) => asked.push(a),
                Err(_) => break,
            }
        }
        answer_all(&pool, &readers, &mut asked).await;
    }
}

/// Answers every read in `asked` (which is left empty): one statement per tenant among them.
async fn answer_all(pool: &Pool, readers: &Readers, asked: &mut Vec<Asked>) {
    asked.sort_by(|a, b| a.tenant.as_str().cmp(b.tenant.as_str()));
    let shared: &[Asked] = asked;
    let answers = readers
        .with(pool, |c| async move { read_all(&c, shared).await })
        .await
        .map_err(|e| e.to_string());
    match answers {
        Ok(found) => {
            for (a, f) in asked.drain(..).zip(found) {
                let _ = a.reply.send(Ok(f));
            }
        }
        Err(e) => {
            for a in asked.drain(..) {
                let _ = a.reply.send(Err(StoreError::Backend(e.clone())));
            }
        }
    }
}

/// The answers to `asked` (sorted by tenant), in its order.
async fn read_all(
    c: &ClientWrapper,
    asked: &[Asked],
) -> Result<Vec<Option<SubjectWithConsents>>, StoreError> {
    let mut out = Vec::with_capacity(asked.len());
    for run in asked.chunk_by(|a, b| a.tenant == b.tenant) {
        let Some(first) = run.first() else { continue };
        let subjects: Vec<SubjectId> = run.iter().map(|a| a.subject.clone()).collect();
        let found = subjects_and_consents(c, &first.tenant, &subjects).await?;
        out.extend(found);
    }
    Ok(out)
}
