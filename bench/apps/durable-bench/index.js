const df = require('durable-functions');

const work = (n) => n + 1;
module.exports.work = work;
df.app.activity('work', { handler: work });

df.app.orchestration('sequence', function* (context) {
  let n = 0;
  for (let i = 0; i < context.df.getInput(); i++) n = yield context.df.callActivity('work', n);
  return n;
});

df.app.orchestration('fanOut', function* (context) {
  const tasks = [];
  for (let i = 0; i < context.df.getInput(); i++) tasks.push(context.df.callActivity('work', i));
  const results = yield context.df.Task.all(tasks);
  return results.length;
});
