#include "typing_state.h"

#include "protocol/event_names.h"
#include "protocol/replies.h"
#include "protocol/requests.h"
#include "session.h"
#include "user_directory.h"

#include <algorithm>

namespace confab::client {

TypingState::TypingState(Session* session, UserDirectory* users, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_users(users)
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(kIdleMs);
    connect(&m_idle, &QTimer::timeout, this, &TypingState::stopLocal);
    setExpiryMs(kExpiryMs);
    connect(&m_expiry, &QTimer::timeout, this, &TypingState::expire);
    connect(m_users, &UserDirectory::handlesChanged, this, [this](Id roomId) {
        if (roomId == m_room)
            updateText();
    });
    connect(m_session, &Session::stateChanged, this, [this] {
        if (m_session->state() != Session::State::Online) {
            // The server ends our typing state with the connection, and
            // nobody tells us about others' while we are away.
            m_sentTyping = false;
            m_idle.stop();
            m_typers.clear();
            updateText();
        }
    });
}

void TypingState::setExpiryMs(int ms)
{
    m_expiryMs = qMax(1, ms);
    // Checked a few times per lifetime, at most once a second.
    m_expiry.setInterval(qBound(1, m_expiryMs / 8, 1000));
}

void TypingState::setLocalTyping(Id roomId, bool typing)
{
    if (!typing || roomId == 0) {
        stopLocal();
        return;
    }
    if (m_sentTyping && m_sentRoom != roomId)
        stopLocal();
    if (!m_sentTyping || !m_sentAt.isValid() || m_sentAt.elapsed() >= kRefreshMs)
        post(roomId, true);
    m_idle.start();
}

void TypingState::stopLocal()
{
    m_idle.stop();
    if (m_sentTyping)
        post(m_sentRoom, false);
}

void TypingState::post(Id roomId, bool typing)
{
    m_sentRoom = roomId;
    m_sentTyping = typing;
    m_sentAt.start();
    if (m_session->state() != Session::State::Online)
        return;
    TypingRequest request;
    request.roomId = roomId;
    request.isTyping = typing;
    m_session->post(event::Typing, request.toPayload());
}

void TypingState::setRoom(Id roomId)
{
    if (roomId == m_room)
        return;
    m_room = roomId;
    m_typers.clear();
    m_expiry.stop();
    updateText();
}

void TypingState::apply(const TypingEvent& event)
{
    if (event.roomId != m_room || event.userId == m_session->user().id)
        return;
    if (!event.isTyping) {
        remove(event.userId);
        return;
    }
    auto it = std::find_if(m_typers.begin(), m_typers.end(),
                           [&](const Typer& t) { return t.userId == event.userId; });
    if (it == m_typers.end()) {
        m_typers.append(Typer{event.userId, {}});
        it = m_typers.end() - 1;
    }
    it->since.start();
    if (!m_expiry.isActive())
        m_expiry.start();
    updateText();
}

void TypingState::userSent(Id userId)
{
    remove(userId);
}

void TypingState::remove(Id userId)
{
    const auto removed = m_typers.removeIf([userId](const Typer& t) { return t.userId == userId; });
    if (removed > 0)
        updateText();
}

void TypingState::expire()
{
    const auto removed =
        m_typers.removeIf([this](const Typer& t) { return t.since.elapsed() >= m_expiryMs; });
    if (m_typers.isEmpty())
        m_expiry.stop();
    if (removed > 0)
        updateText();
}

void TypingState::updateText()
{
    QStringList names;
    for (const Typer& t : std::as_const(m_typers))
        names.append(m_users->labelIn(m_room, t.userId));
    QString text;
    if (names.size() == 1)
        text = tr("%1 is typing…").arg(names.at(0));
    else if (names.size() == 2)
        text = tr("%1 and %2 are typing…").arg(names.at(0), names.at(1));
    else if (names.size() == 3)
        text = tr("%1, %2 and 1 other are typing…").arg(names.at(0), names.at(1));
    else if (names.size() > 3)
        text = tr("%1, %2 and %3 others are typing…").arg(names.at(0), names.at(1)).arg(names.size() - 2);
    if (text != m_text) {
        m_text = text;
        emit textChanged();
    }
}

} // namespace confab::client
