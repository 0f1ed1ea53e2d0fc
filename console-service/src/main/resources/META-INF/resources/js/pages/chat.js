// The chat playground: streams a chat completion from the OpenAI API of the chosen model.
import { api, request, readSse } from '../api.js';
import { h, failure } from '../dom.js';

export async function show(view, params, page) {
  const select = h('select', { id: 'chat-model' });
  const maxTokens = h('input', { id: 'chat-max-tokens', type: 'number', min: 1, value: 64, size: 5 });
  const temperature = h('input', { id: 'chat-temperature', type: 'number', min: 0, max: 2, step: 0.1, value: 0, size: 4 });
  const prompt = h('textarea', { id: 'chat-input', rows: 3, cols: 80, placeholder: 'Ask the model…' });
  const log = h('div', { class: 'card chat-log', id: 'chat-log' });
  const status = h('p', { class: 'muted', id: 'chat-status' });
  const messages = [];
  let controller = null;
  page.cleanup(() => controller && controller.abort());
  const form = h('form', {
    id: 'chat',
    onsubmit: async (ev) => {
      ev.preventDefault();
      if (!prompt.value.trim() || !select.value) return;
      messages.push({ role: 'user', content: prompt.value });
      log.append(h('div', { class: 'msg user' }, prompt.value));
      prompt.value = '';
      const answer = h('div', { class: 'msg assistant', 'data-streaming': 'true' });
      log.append(answer);
      status.textContent = 'streaming…';
      controller = new AbortController();
      let text = '';
      let chunks = 0;
      try {
        const res = await request('/api/inference/v1/chat/completions', {
          method: 'POST', contentType: 'application/json', signal: controller.signal,
          body: JSON.stringify({ model: select.value, messages, stream: true,
            max_tokens: Number(maxTokens.value), temperature: Number(temperature.value) }),
        });
        await readSse(res, (name, data) => {
          if (data === '[DONE]') return;
          const chunk = JSON.parse(data);
          const delta = chunk.choices?.[0]?.delta?.content;
          if (delta) {
            text += delta;
            chunks++;
            answer.textContent = text;
          }
        });
        messages.push({ role: 'assistant', content: text });
        status.textContent = `${chunks} chunks streamed`;
      } catch (e) {
        answer.replaceChildren(failure(e, 'Chat'));
        status.textContent = '';
      }
      answer.dataset.streaming = 'false';
    },
  }, h('p', {}, prompt), h('button', { type: 'submit', id: 'chat-send' }, 'Send'));
  view.replaceChildren(h('h1', {}, 'Chat playground'),
    h('div', { class: 'card inline' }, h('label', {}, 'Model', select), h('label', {}, 'Max tokens', maxTokens),
      h('label', {}, 'Temperature', temperature),
      h('button', { type: 'button', class: 'secondary', onclick: () => { messages.length = 0; log.replaceChildren(); } }, 'New conversation')),
    log, form, status);
  try {
    const models = await api('inference', '/v1/models');
    select.replaceChildren(...models.data.map((m) => h('option', { value: m.id }, m.id)));
    if (!models.data.length) status.textContent = 'No model is served yet.';
  } catch (e) {
    view.append(failure(e, 'Models'));
  }
}
