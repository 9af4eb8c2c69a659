import { useState } from 'react';
import { ApiError, api, unwrap, type ActionBody, type CaseFile, type User } from '../api/client';
import { humanize } from '../lib/format';

/** Common reason codes per disposition, offered as suggestions (any upper-case code is accepted). */
const REASON_CODES = {
  CONFIRMED_FRAUD: ['CARDHOLDER_DENIED', 'CARD_TESTING', 'ACCOUNT_TAKEOVER', 'STOLEN_CARD', 'MULE_ACCOUNT'],
  LEGITIMATE: ['CARDHOLDER_CONFIRMED', 'KNOWN_BEHAVIOUR', 'STEP_UP_PASSED', 'TRAVEL_CONFIRMED'],
  INCONCLUSIVE: ['NO_CONTACT', 'INSUFFICIENT_EVIDENCE'],
} as const;
type Disposition = keyof typeof REASON_CODES;

interface Props {
  readonly file: CaseFile;
  readonly user: User;
  readonly onChanged: () => void;
}

/** What the user may do with the case now, by its status, who holds it and the user's role. */
export function CaseActions({ file, user, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [disposition, setDisposition] = useState<Disposition>('CONFIRMED_FRAUD');
  const [reasonCode, setReasonCode] = useState<string>(REASON_CODES.CONFIRMED_FRAUD[0]);
  const [snoozeHours, setSnoozeHours] = useState('4');
  const [assignTo, setAssignTo] = useState('');
  const [busy, setBusy] = useState(false);

  const supervisor = user.role !== 'analyst';
  const mine = file.status === 'CLAIMED' && file.assignee === user.id;
  const closed = file.status === 'CLOSED';
  const pending = file.status === 'PENDING_APPROVAL';

  async function act(body: ActionBody, after?: () => void) {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/v1/cases/{id}/actions', { params: { path: { id: file.id } }, body }));
      after?.();
      onChanged();
    } catch (e) {
      setError(
        e instanceof ApiError && e.fieldErrors.length > 0
          ? e.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ')
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  if (closed)
    return (
      <div className="panel actions">
        <h3>Closed</h3>
        <p>
          {humanize(file.disposition ?? 'CLOSED')} · {file.reason_code} · by {file.decided_by}
          {file.approved_by !== null && `, approved by ${file.approved_by}`}
        </p>
      </div>
    );

  return (
    <div className="panel actions" data-testid="actions">
      <h3>Actions</h3>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {pending && file.pending !== null && (
        <div className="pending">
          <p>
            <strong>{humanize(file.pending.disposition)}</strong> ({file.pending.reason_code}) proposed by{' '}
            {file.pending.by}: it needs a second person.
          </p>
          {supervisor && file.pending.by !== user.id ? (
            <div className="row">
              <button className="primary" disabled={busy} onClick={() => act({ type: 'approve' })}>
                Approve
              </button>
              <input placeholder="why it is rejected" value={reason} onChange={(e) => setReason(e.target.value)} />
              <button
                disabled={busy || reason.trim() === ''}
                onClick={() => act({ type: 'reject', reason }, () => setReason(''))}
              >
                Reject
              </button>
            </div>
          ) : (
            <p className="muted">A supervisor other than {file.pending.by} approves or rejects it.</p>
          )}
        </div>
      )}
      {!pending && !mine && (
        <button className="primary" disabled={busy} onClick={() => act({ type: 'claim' })}>
          {file.assignee === null ? 'Claim' : `Claim (held by ${file.assignee})`}
        </button>
      )}
      {!pending && mine && (
        <>
          <fieldset>
            <legend>Disposition</legend>
            <div className="row">
              <select
                name="disposition"
                value={disposition}
                onChange={(e) => {
                  const next = e.target.value as Disposition;
                  setDisposition(next);
                  setReasonCode(REASON_CODES[next][0]);
                }}
              >
                {(Object.keys(REASON_CODES) as Disposition[]).map((d) => (
                  <option key={d} value={d}>
                    {humanize(d)}
                  </option>
                ))}
              </select>
              <input
                name="reason_code"
                list="reason-codes"
                value={reasonCode}
                onChange={(e) => setReasonCode(e.target.value.toUpperCase())}
              />
              <datalist id="reason-codes">
                {REASON_CODES[disposition].map((code) => (
                  <option key={code} value={code} />
                ))}
              </datalist>
              <button
                className="primary"
                disabled={busy}
                data-testid="dispose"
                onClick={() => act({ type: 'dispose', disposition, reason_code: reasonCode })}
              >
                Close case
              </button>
            </div>
          </fieldset>
          <div className="row">
            <button disabled={busy} onClick={() => act({ type: 'release' })}>
              Release
            </button>
            <select value={snoozeHours} onChange={(e) => setSnoozeHours(e.target.value)} aria-label="snooze for">
              {['1', '4', '24'].map((h) => (
                <option key={h} value={h}>
                  {h} h
                </option>
              ))}
            </select>
            <button
              disabled={busy}
              onClick={() =>
                act({ type: 'snooze', until: new Date(Date.now() + Number(snoozeHours) * 3_600_000).toISOString() })
              }
            >
              Snooze
            </button>
          </div>
          <div className="row">
            <input
              placeholder="why a supervisor should see it"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <button
              disabled={busy || reason.trim() === ''}
              onClick={() => act({ type: 'escalate', reason }, () => setReason(''))}
            >
              Escalate
            </button>
          </div>
        </>
      )}
      {supervisor && !pending && (
        <div className="row">
          <input placeholder="analyst id" value={assignTo} onChange={(e) => setAssignTo(e.target.value)} />
          <button
            disabled={busy || assignTo.trim() === ''}
            onClick={() => act({ type: 'assign', to: assignTo.trim() })}
          >
            Assign
          </button>
        </div>
      )}
      <div className="note">
        <textarea
          name="note"
          placeholder="Add a note (kept in the case and the audit log)"
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button
          disabled={busy || note.trim() === ''}
          onClick={() => act({ type: 'note', text: note }, () => setNote(''))}
        >
          Add note
        </button>
      </div>
    </div>
  );
}
