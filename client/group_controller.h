#pragma once

#include "member_list_model.h"

#include <QObject>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace confab::client {

struct ClientCore;

// The open room as a group (ChatClient.groups, the group info panel): its
// name, topic and visibility, my role, its members, and the changes a role
// allows (add, remove, make admin, transfer ownership, rename, topic,
// leave). What may be offered is decided in group_rights.h; the server
// decides again. A refused request shows as errorMessage (the panel's own
// line); "You were removed from …" as notice.
class GroupController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.groups")
    Q_PROPERTY(confab::client::MemberListModel* members READ members CONSTANT)
    Q_PROPERTY(double roomId READ roomId NOTIFY roomChanged)
    Q_PROPERTY(QString name READ name NOTIFY roomChanged)
    Q_PROPERTY(QString topic READ topic NOTIFY roomChanged)
    Q_PROPERTY(bool isDm READ isDm NOTIFY roomChanged)
    Q_PROPERTY(bool isPublic READ isPublic NOTIFY roomChanged)
    Q_PROPERTY(int memberCount READ memberCount NOTIFY roomChanged)
    Q_PROPERTY(confab::client::MemberListModel::Rank myRank READ myRank NOTIFY roomChanged)
    Q_PROPERTY(bool canEdit READ canEdit NOTIFY roomChanged)   // rename, topic, visibility
    Q_PROPERTY(bool canAdd READ canAdd NOTIFY roomChanged)     // add people
    Q_PROPERTY(bool canLeave READ canLeave NOTIFY roomChanged) // groups only
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)

public:
    explicit GroupController(ClientCore* core);
    ~GroupController() override;

    MemberListModel* members() const { return m_members.get(); }
    double roomId() const;
    QString name() const;
    QString topic() const;
    bool isDm() const;
    bool isPublic() const;
    int memberCount() const;
    MemberListModel::Rank myRank() const;
    bool canEdit() const;
    bool canAdd() const;
    bool canLeave() const;
    bool busy() const { return m_busy > 0; }
    QString errorMessage() const { return m_error; }
    QString notice() const { return m_notice; }

    // Per member of the open room (rights::*).
    Q_INVOKABLE bool canRemove(double userId) const;
    Q_INVOKABLE bool canSetRole(double userId) const;
    Q_INVOKABLE bool canTransfer(double userId) const;
    Q_INVOKABLE bool isMember(double userId) const; // the "Add people" picker leaves them out

    Q_INVOKABLE void addMembers(double roomId, const QVariantList& userIds);
    Q_INVOKABLE void removeMember(double roomId, double userId);
    // `rank` MemberListModel.Admin or MemberListModel.Member.
    Q_INVOKABLE void setRole(double roomId, double userId, confab::client::MemberListModel::Rank rank);
    Q_INVOKABLE void transferOwnership(double roomId, double userId);
    // `changes`: any of name (string), topic (string), isPublic (bool).
    Q_INVOKABLE void updateRoom(double roomId, const QVariantMap& changes);
    Q_INVOKABLE void leave(double roomId);
    Q_INVOKABLE void clearError();
    Q_INVOKABLE void dismissNotice();

    // room_left {reason: "removed"}: called before the room is dropped.
    void noteRemoved(const QString& roomName);
    // The open room or its state changed: the properties and members follow.
    void refresh();

signals:
    void roomChanged();
    void busyChanged();
    void errorMessageChanged();
    void noticeChanged();
    void succeeded(); // a change the user asked for was accepted (tests, the panel's edits)

private:
    void send(QLatin1String type, const QJsonObject& payload);
    void setError(const QString& message);

    ClientCore* const d;
    std::unique_ptr<MemberListModel> m_members;
    int m_busy = 0;
    QString m_error;
    QString m_notice;
};

} // namespace confab::client
