package chat.node;
