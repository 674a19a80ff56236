"""One Screen per module: home, lesson, playground, stats, review, help, model picker."""
