#pragma once

#include "message_results_model.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace confab {
struct PinsChangedEvent;
}

namespace confab::client {

struct ClientCore;

// The open room's pinned messages (contract: "Groups"): the list, newest pin
// first, asked of the server (list_pins) when a room opens, after a
// reconnect and whenever a member pins or unpins (pins_changed); pinning and
// unpinning; whether I may. The message list's PinnedRole follows the list.
class PinsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.pins")
    Q_PROPERTY(confab::client::MessageResultsModel* model READ model CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged) // the open room's pins
    // A group's owner or admin, or a side of a DM (room_rights.h).
    Q_PROPERTY(bool canPin READ canPin NOTIFY canPinChanged)

public:
    explicit PinsController(ClientCore* core);
    ~PinsController() override;

    MessageResultsModel* model() const { return m_model.get(); }
    int count() const { return m_model->count(); }
    bool canPin() const { return m_canPin; }

    // Pins (or unpins) a message of the open room; the list follows when the
    // server's pins_changed comes. Over the limit: a sentence in the error banner.
    Q_INVOKABLE void pin(double messageId, bool pinned);
    Q_INVOKABLE void refresh(); // list_pins for the open room

signals:
    void countChanged();
    void canPinChanged();

private:
    void onRoomChanged();
    void onPinsChanged(const PinsChangedEvent& change);
    void updateCanPin();

    ClientCore* const d;
    std::unique_ptr<MessageResultsModel> m_model;
    quint64 m_serial = 0; // a newer list_pins supersedes older replies
    bool m_canPin = false;
};

} // namespace confab::client
