#pragma once

#include "protocol/types.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// My profile as others see it, for the account menu: status (available,
// away, do not disturb — which also silences notifications) and status
// text, display name, whether my read receipts are shown, and changing the
// password (which signs out my other sessions). Changes go to the server
// (set_profile, change_password); what it answers is what is shown.
class ProfileController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.profile")
    Q_PROPERTY(Status status READ status NOTIFY profileChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY profileChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY profileChanged)
    Q_PROPERTY(bool sendReceipts READ sendReceipts NOTIFY profileChanged)
    // The server keeps read receipts at all (its policy); else the toggle is moot.
    Q_PROPERTY(bool receiptsAllowed READ receiptsAllowed NOTIFY profileChanged)

public:
    enum class Status { Available, Away, Dnd }; // UserStatus, for QML
    Q_ENUM(Status)

    explicit ProfileController(ClientCore* core);

    Status status() const;
    QString statusText() const;
    QString displayName() const;
    bool sendReceipts() const;
    bool receiptsAllowed() const;

    Q_INVOKABLE void setStatus(confab::client::ProfileController::Status status, const QString& text);
    Q_INVOKABLE void setDisplayName(const QString& name);
    Q_INVOKABLE void setSendReceipts(bool on);
    Q_INVOKABLE void changePassword(const QString& oldPassword, const QString& newPassword);

    // A short label: "Available", "Away", "Do not disturb".
    Q_INVOKABLE static QString statusLabel(confab::client::ProfileController::Status status);
    static Status fromProtocol(UserStatus status);

signals:
    void profileChanged();
    // change_password answered: ok, or why not ("Wrong username or password.").
    void passwordChangeFinished(bool ok, const QString& message);

private:
    void send(const QJsonObject& payload);
    ClientCore* const d;
};

} // namespace confab::client
