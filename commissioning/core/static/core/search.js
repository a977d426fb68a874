// Search as you type (issue 9, point 3): GOV.UK's accessible-autocomplete on the text boxes of
// core.forms.SearchChoiceField. Without JavaScript they stay text boxes with a link to the search page;
// either way the server checks the name typed.
const MIN_LENGTH = 2

function source (url) {
  return function (query, populate) {
    const address = url + (url.includes('?') ? '&' : '?') + 'format=json&q=' + encodeURIComponent(query)
    fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : { results: [] } })
      .then(function (data) { populate(data.results.map(function (result) { return result.label })) })
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
    source: source(container.dataset.source),
    onConfirm: function (chosen) {
      if (!chosen) return
      const lines = textarea.value.split('\n').map(function (line) { return line.trim() }).filter(Boolean)
      if (!lines.includes(chosen)) lines.push(chosen)
      textarea.value = lines.join('\n')
    }
  })
}

document.querySelectorAll('[data-module="app-search"]').forEach(enhanceOne)
document.querySelectorAll('[data-module="app-search-multiple"]').forEach(enhanceMany)
