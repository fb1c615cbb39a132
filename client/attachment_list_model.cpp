#include "attachment_list_model.h"

#include "file_names.h"

#include <algorithm>

namespace confab::client {

AttachmentListModel::AttachmentListModel(QObject* parent)
    : QAbstractListModel(parent)
{}

int AttachmentListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AttachmentListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PendingAttachment& row = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return row.key;
    case NameRole:
        return row.name;
    case SizeRole:
        return double(row.size);
    case SizeTextRole:
        return files::humanSize(row.size);
    case MimeRole:
        return row.mime;
    case IsImageRole:
        return !row.thumbnailPath.isEmpty();
    case PreviewUrlRole:
        return row.thumbnailPath.isEmpty() ? QUrl() : QUrl::fromLocalFile(row.thumbnailPath);
    case ProgressRole:
        return row.size > 0 ? double(row.sent) / double(row.size) : 0.0;
    case StateRole:
        return int(row.state);
    case ErrorRole:
        return row.error;
    case BadgeRole:
        return files::typeBadge(row.mime, row.name);
    default:
        return {};
    }
}

QHash<int, QByteArray> AttachmentListModel::roleNames() const
{
    return {
        {KeyRole, "key"},
        {NameRole, "name"},
        {SizeRole, "size"},
        {SizeTextRole, "sizeText"},
        {MimeRole, "mime"},
        {IsImageRole, "isImage"},
        {PreviewUrlRole, "previewUrl"},
        {ProgressRole, "progress"},
        {StateRole, "uploadState"},
        {ErrorRole, "error"},
        {BadgeRole, "badge"},
    };
}

bool AttachmentListModel::allUploaded() const
{
    return std::all_of(m_rows.cbegin(), m_rows.cend(), [](const PendingAttachment& row) {
        return row.state == PendingAttachment::State::Uploaded;
    });
}

bool AttachmentListModel::add(const PendingAttachment& item)
{
    if (m_rows.size() >= kMaxAttachments || item.key.isEmpty() || rowOf(item.key) >= 0)
        return false;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(item);
    endInsertRows();
    emit countChanged();
    emit stateChanged();
    return true;
}

bool AttachmentListModel::remove(const QString& key)
{
    const int row = rowOf(key);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    emit countChanged();
    emit stateChanged();
    return true;
}

void AttachmentListModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
    emit countChanged();
    emit stateChanged();
}

const PendingAttachment* AttachmentListModel::find(const QString& key) const
{
    const int row = rowOf(key);
    return row < 0 ? nullptr : &m_rows.at(row);
}

void AttachmentListModel::update(const PendingAttachment& item)
{
    const int row = rowOf(item.key);
    if (row < 0)
        return;
    const PendingAttachment old = m_rows.at(row);
    m_rows[row] = item;
    QList<int> roles;
    if (old.name != item.name)
        roles << NameRole;
    if (old.size != item.size)
        roles << SizeRole << SizeTextRole;
    if (old.mime != item.mime || old.name != item.name)
        roles << MimeRole << BadgeRole;
    if (old.thumbnailPath != item.thumbnailPath)
        roles << IsImageRole << PreviewUrlRole;
    if (old.sent != item.sent || old.size != item.size)
        roles << ProgressRole;
    if (old.state != item.state)
        roles << StateRole;
    if (old.error != item.error)
        roles << ErrorRole;
    if (!roles.isEmpty())
        emit dataChanged(index(row), index(row), roles);
    if (old.state != item.state)
        emit stateChanged();
}

int AttachmentListModel::rowOf(const QString& key) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key == key)
            return i;
    }
    return -1;
}

} // namespace confab::client
