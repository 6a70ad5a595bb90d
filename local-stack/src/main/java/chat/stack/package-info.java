package chat.stack;
