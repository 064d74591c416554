// The task board: drag a card with the mouse or move it with the keyboard. (Being built.)
