#include "outbox.h"

#include "file_uploads.h"
#include "local_store.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/replies.h"
#include "protocol/requests.h"
#include "session.h"

#include <algorithm>

namespace confab::client {

Outbox::Outbox(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    m_rateLimitWait.setSingleShot(true);
    connect(&m_rateLimitWait, &QTimer::timeout, this, &Outbox::flush);
    connect(m_session, &Session::stateChanged, this, [this] {
        if (m_session->state() != Session::State::Online)
            abandonInFlight();
    });
}

void Outbox::setUploads(FileUploads* uploads)
{
    m_uploads = uploads;
    connect(uploads, &FileUploads::changed, this, &Outbox::onUploadsChanged);
    connect(uploads, &FileUploads::finished, this, &Outbox::onUploadsFinished);
    connect(uploads, &FileUploads::failed, this, &Outbox::onUploadsFailed);
    connect(uploads, &FileUploads::progress, this, [this](const QString& tempId, qint64 done, qint64 total) {
        const int i = indexOf(tempId);
        if (i >= 0)
            emit uploadProgress(m_items.at(i).roomId, tempId, done, total);
    });
}

void Outbox::stopUploadsOf(const QString& tempId)
{
    if (m_uploads && m_uploads->active() && m_uploads->tempId() == tempId)
        m_uploads->pause();
}

bool Outbox::cancel(const QString& tempId)
{
    const int i = indexOf(tempId);
    if (i < 0)
        return false;
    if (m_uploads && m_uploads->active() && m_uploads->tempId() == tempId)
        m_uploads->cancel();
    if (tempId == m_inFlight) {
        m_inFlight.clear();
        ++m_attempt;
    }
    removeAt(i);
    flush();
    return true;
}

void Outbox::onUploadsChanged(const QString& tempId, const QList<OutgoingFile>& files)
{
    const int i = indexOf(tempId);
    if (i < 0)
        return;
    m_items[i].files = files;
    if (m_store)
        m_store->setSendFiles(tempId, files);
}

void Outbox::onUploadsFinished(const QString& tempId, const QList<OutgoingFile>& files)
{
    onUploadsChanged(tempId, files);
    if (tempId != m_inFlight)
        return;
    m_inFlight.clear();
    flush(); // now the send itself
}

void Outbox::onUploadsFailed(const QString& tempId, const Error& error)
{
    if (tempId != m_inFlight)
        return;
    m_inFlight.clear();
    ++m_attempt;
    const int i = indexOf(tempId);
    if (i < 0) {
        flush();
        return;
    }
    if (m_session->state() != Session::State::Online)
        return; // resumed after the reconnect
    if (error.code == ErrorCode::RateLimited || error.code == ErrorCode::Unavailable) {
        const qint64 floorMs = error.code == ErrorCode::Unavailable ? 250 : 50;
        m_rateLimitWait.start(int(std::clamp<qint64>(error.retryAfterMs, floorMs, 60000)));
        return;
    }
    markFailed(i, error);
    flush();
}

void Outbox::markFailed(int i, const Error& error)
{
    m_items[i].failed = true;
    const QString tempId = m_items.at(i).tempId;
    if (m_store)
        m_store->setSendFailed(tempId);
    emit failed(m_items.at(i).roomId, tempId, error);
}

void Outbox::restore(const QList<Item>& items)
{
    QList<Item> earlier;
    for (const Item& item : items) {
        if (!contains(item.tempId))
            earlier.append(item);
    }
    if (earlier.isEmpty())
        return;
    m_items = earlier + m_items;
    emit sizeChanged();
    flush();
}

void Outbox::enqueue(Item item)
{
    item.failed = false;
    if (m_store)
        m_store->addSend(item);
    m_items.append(std::move(item));
    emit sizeChanged();
    flush();
}

void Outbox::removeAt(int i)
{
    if (m_store)
        m_store->removeSend(m_items.at(i).tempId);
    const QList<OutgoingFile> files = m_items.takeAt(i).files;
    emit sizeChanged();
    if (!files.isEmpty())
        emit filesReleased(files);
}

bool Outbox::retry(const QString& tempId)
{
    const int i = indexOf(tempId);
    if (i < 0 || !m_items.at(i).failed)
        return false;
    Item item = m_items.takeAt(i);
    item.failed = false;
    if (m_store)
        m_store->requeueSend(tempId);
    m_items.append(std::move(item));
    flush();
    return true;
}

void Outbox::markStored(const QString& tempId)
{
    const int i = indexOf(tempId);
    if (i < 0)
        return;
    stopUploadsOf(tempId);
    removeAt(i);
    if (tempId == m_inFlight) {
        m_inFlight.clear();
        ++m_attempt; // its ack, if it still comes, is no news
        flush();
    }
}

void Outbox::dropRoom(Id roomId)
{
    const int i = indexOf(m_inFlight);
    if (i >= 0 && m_items.at(i).roomId == roomId) {
        stopUploadsOf(m_inFlight);
        m_inFlight.clear();
        ++m_attempt;
    }
    for (int j = int(m_items.size()) - 1; j >= 0; --j) {
        if (m_items.at(j).roomId == roomId)
            removeAt(j);
    }
    flush();
}

void Outbox::flush()
{
    if (!m_inFlight.isEmpty() || m_rateLimitWait.isActive())
        return;
    if (m_session->state() != Session::State::Online)
        return;
    const auto head = std::find_if(m_items.cbegin(), m_items.cend(), [](const Item& i) { return !i.failed; });
    if (head == m_items.cend())
        return;

    const bool uploading = std::any_of(head->files.cbegin(), head->files.cend(),
                                       [](const OutgoingFile& f) { return !f.done(); });
    if (uploading) {
        if (!m_uploads)
            return;
        // Files first; onUploadsFinished() sends the message.
        m_inFlight = head->tempId;
        m_uploads->start(head->tempId, head->roomId, head->files);
        return;
    }

    SendMessageRequest request;
    request.roomId = head->roomId;
    request.content = head->content;
    request.tempId = head->tempId;
    request.mentions = head->mentions;
    request.replyTo = head->replyTo;
    for (const OutgoingFile& f : head->files) {
        AttachmentRef ref;
        ref.id = f.fileId;
        if (f.thumbnailId)
            ref.thumbnailId = f.thumbnailId;
        request.attachments.append(ref);
    }
    m_inFlight = head->tempId;
    const quint64 attempt = ++m_attempt;
    // The reply may come synchronously (not connected): m_inFlight is set first.
    m_session->request(
        event::SendMessage, request.toPayload(),
        [this, attempt](const Envelope& reply) { onReply(attempt, reply); }, m_timeoutMs);
}

void Outbox::clear()
{
    if (m_uploads)
        m_uploads->pause();
    m_items.clear();
    m_inFlight.clear();
    ++m_attempt;
    m_rateLimitWait.stop();
    emit sizeChanged();
}

QList<Outbox::Item> Outbox::itemsFor(Id roomId) const
{
    QList<Item> items;
    for (const Item& item : m_items) {
        if (item.roomId == roomId)
            items.append(item);
    }
    return items;
}

int Outbox::indexOf(const QString& tempId) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).tempId == tempId)
            return i;
    }
    return -1;
}

void Outbox::abandonInFlight()
{
    stopUploadsOf(m_inFlight);
    m_inFlight.clear();
    ++m_attempt;
    m_rateLimitWait.stop();
}

void Outbox::onReply(quint64 attempt, const Envelope& reply)
{
    if (attempt != m_attempt)
        return; // superseded: reconnected, cleared or already known stored
    const QString tempId = m_inFlight;
    m_inFlight.clear();
    const int i = indexOf(tempId);
    if (i < 0) {
        flush();
        return;
    }

    if (reply.type == event::MessageAck) {
        const auto ack = MessageAck::fromPayload(reply.payload);
        const Item item = m_items.at(i);
        removeAt(i);
        if (ack)
            emit acknowledged(item.roomId, item.tempId, ack->messageId, ack->createdAt);
        flush();
        return;
    }

    const auto parsed = errorFromPayload(reply.payload);
    const Error error = parsed ? *parsed : makeError(ErrorCode::Internal, QStringLiteral("unexpected reply"));
    if (m_session->state() != Session::State::Online) {
        return; // lost the connection: stays queued, resent after the catch-up
    }
    // Both mean "not now, nothing was stored": the head stays the head and is
    // sent again after the wait (unavailable: the server's database is
    // restarting; the same tempId makes the retry safe).
    if (error.code == ErrorCode::RateLimited || error.code == ErrorCode::Unavailable) {
        const qint64 floorMs = error.code == ErrorCode::Unavailable ? 250 : 50;
        m_rateLimitWait.start(int(std::clamp<qint64>(error.retryAfterMs, floorMs, 60000)));
        return;
    }
    if (error.code == ErrorCode::NotFound && !m_items.at(i).files.isEmpty()) {
        // "no such file": the uploads expired (24 h) or went; a retry
        // uploads them again.
        for (OutgoingFile& f : m_items[i].files) {
            f.fileId = f.thumbnailId = 0;
            f.uploaded = f.thumbnailUploaded = false;
        }
        if (m_store)
            m_store->setSendFiles(tempId, m_items.at(i).files);
    }
    markFailed(i, error);
    flush();
}

} // namespace confab::client
