#pragma once

#include "message_results_model.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// Message search (paged; short queries page on by themselves until a
// screenful is there) and the mentions inbox.
class SearchController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.search")
    Q_PROPERTY(confab::client::MessageResultsModel* results READ results CONSTANT)
    Q_PROPERTY(confab::client::MessageResultsModel* mentions READ mentions CONSTANT)

public:
    explicit SearchController(ClientCore* core);

    MessageResultsModel* results() const;
    MessageResultsModel* mentions() const;

    Q_INVOKABLE void searchMessages(const QString& query, bool currentRoomOnly); // -> results
    Q_INVOKABLE void loadMore();
    Q_INVOKABLE void loadMentions(); // -> mentions

private:
    void continueShortSearch();

    ClientCore* const d;
};

} // namespace confab::client
