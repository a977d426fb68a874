// Search as you type (issue 9, point 3): GOV.UK's accessible-autocomplete on the text boxes of
// core.forms.SearchChoiceField. Without JavaScript they stay text boxes with a link to the search page;
// either way the server checks the name typed.
const MIN_LENGTH = 2

function escapeHtml (text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]
  })
}

// Results are {label, hint}: the label is what goes in the box (and is sent); the hint helps choose. The
// autocomplete shows suggestions as HTML, so names are escaped here.
const templates = {
  inputValue: function (result) { return result ? (typeof result === 'string' ? result : result.label) : '' },
  suggestion: function (result) {
    if (!result) return ''
    if (typeof result === 'string') return escapeHtml(result)
    return escapeHtml(result.label) + (result.hint ? ' <span class="app-search__hint">– ' + escapeHtml(result.hint) + '</span>' : '')
  }
}

function source (url) {
  return function (query, populate) {
    const address = url + (url.includes('?') ? '&' : '?') + 'format=json&q=' + encodeURIComponent(query)
    fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : { results: [] } })
      .then(function (data) { populate(data.results) })
      .catch(function () { populate([]) })
  }
}

function enhanceOne (container) {
  const input = container.querySelector('input')
  if (!input || !window.accessibleAutocomplete) return
  const error = input.classList.contains('govuk-input--error')
  const describedBy = input.getAttribute('aria-describedby')
  const settings = {
    element: container,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: MIN_LENGTH,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: 'govuk-input' + (error ? ' govuk-input--error' : ''),
    templates: templates,
    source: source(container.dataset.source)
  }
  input.remove()
  window.accessibleAutocomplete(settings)
  const created = container.querySelector('input')
  if (created && describedBy) {
    created.setAttribute('aria-describedby', (created.getAttribute('aria-describedby') || '') + ' ' + describedBy)
  }
}

function enhanceMany (container) {
  // A search box under the list of names: choosing a result adds it as a new line.
  const textarea = container.querySelector('textarea')
  if (!textarea || !window.accessibleAutocomplete) return
  const wrapper = document.createElement('div')
  wrapper.className = 'govuk-!-margin-top-2'
  const label = document.createElement('label')
  label.className = 'govuk-label'
  label.htmlFor = textarea.id + '-add'
  label.textContent = 'Add an ' + (container.dataset.noun || 'item') + ' by searching'
  const holder = document.createElement('div')
  wrapper.appendChild(label)
  wrapper.appendChild(holder)
  container.appendChild(wrapper)
  window.accessibleAutocomplete({
    element: holder,
    id: textarea.id + '-add',
    minLength: MIN_LENGTH,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: 'govuk-input',
    templates: templates,
    source: source(container.dataset.source),
    onConfirm: function (result) {
      const chosen = result && (typeof result === 'string' ? result : result.label)
      if (!chosen) return
      const lines = textarea.value.split('\n').map(function (line) { return line.trim() }).filter(Boolean)
      if (!lines.includes(chosen)) lines.push(chosen)
      textarea.value = lines.join('\n')
    }
  })
}

document.querySelectorAll('[data-module="app-search"]').forEach(enhanceOne)
document.querySelectorAll('[data-module="app-search-multiple"]').forEach(enhanceMany)
